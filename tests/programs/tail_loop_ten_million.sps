(import (rnrs))
;; A named let of 10,000,000 iterations runs in constant stack.
(define (count-up n)
  (let loop ((i 0) (sum 0))
    (if (= i n) sum (loop (+ i 1) (+ sum i)))))
(write (count-up 10000000))
(newline)
