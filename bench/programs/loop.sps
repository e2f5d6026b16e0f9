(import (rnrs))
(define (loop i acc) (if (= i 0) acc (loop (- i 1) (+ acc 1))))
(write (loop 500000000 0))
(newline)
