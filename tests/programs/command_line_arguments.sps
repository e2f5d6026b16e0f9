(import (rnrs))
;; The first element is the program's name; the others are its arguments.
(define args (command-line))
(write (string? (car args)))
(newline)
(write (cdr args))
(newline)
(for-each (lambda (a) (display (string-length a)) (newline)) (cdr args))
