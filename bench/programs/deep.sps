(import (rnrs))
;; Deep non-tail recursion: build a list of a million elements recursively and sum it
;; recursively, five times (the stack grows onto new segments and back).
(define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))
(define (repeat i r) (if (zero? i) r (repeat (- i 1) (sum (build 1000000)))))
(write (repeat 5 0))
(newline)
