;; A procedural macro from a library whose transformer calls another library's procedures at
;; expand time and expands into the first library's unexported helper.
(import (rnrs) (macro-helpers records))
(define-simple-record point x y)
(define p (make-point 3 4))
(display (list (point-x p) (point-y p)))
(newline)
(display p)
(newline)
