(import (rnrs) (rnrs r5rs))
;; do loops are loops: 10,000,000 iterations filling and summing a vector in constant stack.
(define v (make-vector 1000 1))
(define total
  (do ((i 0 (+ i 1))
       (sum 0 (+ sum (vector-ref v (remainder i 1000)))))
      ((= i 10000000) sum)))
(write total)
(newline)
