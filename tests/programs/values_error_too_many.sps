;; Two values to a continuation that accepts exactly one is an error (exit 70).
(import (rnrs))
(display "before")
(newline)
(display (+ 1 (values 2 3)))
(display "not reached")
