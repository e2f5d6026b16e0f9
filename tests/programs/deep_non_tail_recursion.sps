(import (rnrs))
;; Non-tail recursion 1,000,000 deep fits in the Scheme stack.
(define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))
(write (sum (build 1000000)))
(newline)
