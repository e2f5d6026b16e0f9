(import (rnrs))
;; Non-tail recursion a million deep: the stack grows onto new segments and shrinks back.
(define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
(define (rec-map f l) (if (null? l) '() (cons (f (car l)) (rec-map f (cdr l)))))
(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))
(define big (build 1000000))
(write (length big)) (newline)
(define doubled (rec-map (lambda (x) (* 2 x)) big))
(write (sum doubled)) (newline)
(write (sum (map (lambda (x) (- x 1)) big))) (newline)
(write (list (car doubled) (cadr doubled) (car (reverse doubled)))) (newline)
;; Deep recursion inside a procedure called from deep recursion.
(define (nest n) (if (= n 0) (sum (build 1000)) (+ 0 (nest (- n 1)))))
(write (nest 100000)) (newline)
