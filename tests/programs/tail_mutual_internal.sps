(import (rnrs))
;; The same with internal definitions and a three-way cycle.
(define (cycle n)
  (define (a n) (if (= n 0) 'a (b (- n 1))))
  (define (b n) (if (= n 0) 'b (c (- n 1))))
  (define (c n) (if (= n 0) 'c (a (- n 1))))
  (a n))
(write (list (cycle 3000000) (cycle 3000001) (cycle 3000002)))
(newline)
