;; Zero values returned by a procedure to a continuation that accepts exactly one is an error.
(import (rnrs))
(define (nothing) (values))
(display "before")
(newline)
(display (list (nothing)))
(display "not reached")
