(import (rnrs))
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(write (map fib '(0 1 2 3 10 20 25)))
(newline)
