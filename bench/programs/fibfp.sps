(import (rnrs))
;; fib with flonums: every operation goes through the generic arithmetic and allocates.
(define (fibfp n) (if (< n 2.) n (+ (fibfp (- n 1.)) (fibfp (- n 2.)))))
(write (fibfp 30.))
(newline)
