(import (rnrs) (only (scheme base) exact-integer?))
;; The type predicates and floor on each kind of number (fixnum fast paths and the service).
(define (show . xs) (write xs) (newline))
(for-each (lambda (x) (show (exact? x) (inexact? x) (exact-integer? x) (nan? x) (infinite? x) (finite? x) (flonum? x) (floor x) (integer? x) (number? x) (zero? x)))
  (list 0 5 -3 (expt 2 70) 1/2 2.5 +inf.0 +nan.0 -0.0))
(show (number? 'a) (integer? "x") (rational? #\a) (real? '()))
