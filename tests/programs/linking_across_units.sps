;; Units are compiled separately and linked into one image: a symbol is one object in the
;; whole image (eq? across units, and string->symbol finds it), a global set in one unit is
;; seen by the others, and procedures and constants of a library work from the program.
(import (rnrs) (linking shared))
(display (eq? (shared-symbol) 'linked-symbol)) (newline)
(display (eq? (string->symbol "linked-symbol") (shared-symbol))) (newline)
(display (eq? (car shared-list) 'alpha)) (newline)
(display (eq? (car (car (quoted-tree))) (shared-symbol))) (newline)
(display (assq 'alpha (quoted-tree))) (newline)
(display shared-list) (newline)
(bump!) (bump!)
(display (bump!)) (newline)
(display ((make-adder 10) 32)) (newline)
(display (symbol->string (shared-symbol))) (newline)
