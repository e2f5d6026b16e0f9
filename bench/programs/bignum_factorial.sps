(import (rnrs))
;; Factorial of 2000, 100 times: bignum-by-fixnum multiplication; then its digits, which is
;; bignum division.
(define (fact n)
  (let loop ((i 1) (acc 1))
    (if (> i n) acc (loop (+ i 1) (* acc i)))))
(define (repeat k)
  (let ((f (fact 2000)))
    (if (= k 1) f (repeat (- k 1)))))
(write (string-length (number->string (repeat 100))))
(newline)
