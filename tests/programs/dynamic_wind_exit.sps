(import (rnrs))
;; exit runs the after thunks of the dynamic-wind calls in progress, innermost first.
(dynamic-wind
  (lambda () (display "outer in") (newline))
  (lambda ()
    (dynamic-wind
      (lambda () (display "inner in") (newline))
      (lambda () (exit 3))
      (lambda () (display "inner out") (newline))))
  (lambda () (display "outer out") (newline)))
(display "not reached")
