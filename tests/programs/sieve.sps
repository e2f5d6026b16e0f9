(import (rnrs))
;; The primes below 100 by the sieve of Eratosthenes over a vector.
(define (primes-below n)
  (let ((composite (make-vector n #f)))
    (let loop ((i 2) (acc '()))
      (cond ((= i n) (reverse acc))
            ((vector-ref composite i) (loop (+ i 1) acc))
            (else
             (do ((j (* i i) (+ j i))) ((>= j n))
               (vector-set! composite j #t))
             (loop (+ i 1) (cons i acc)))))))
(write (primes-below 100))
(newline)
