;; A values call in tail position returns the values to the procedure's caller, through any
;; number of tail calls, branches and bindings.
(import (rnrs))

(define (show . xs) (for-each display xs) (newline))

(define (pair-of x) (values x (+ x 1)))
(define (via-one x) (pair-of x))
(define (via-two x) (via-one (* x 10)))
(show (call-with-values (lambda () (via-two 4)) list))

(define (choose n)
  (if (< n 0)
      (values)
      (if (= n 0)
          (values 'zero)
          (let ((m (* n 2)))
            (values n m (+ n m) 'a 'b 'c)))))
(show (call-with-values (lambda () (choose -1)) list))
(show (call-with-values (lambda () (choose 0)) list))
(show (call-with-values (lambda () (choose 5)) list))

;; A loop that accumulates and returns two results.
(define (split lst)
  (let loop ((lst lst) (evens '()) (odds '()))
    (cond ((null? lst) (values (reverse evens) (reverse odds)))
          ((even? (car lst)) (loop (cdr lst) (cons (car lst) evens) odds))
          (else (loop (cdr lst) evens (cons (car lst) odds))))))
(call-with-values (lambda () (split '(1 2 3 4 5 6 7)))
  (lambda (evens odds) (show evens " " odds)))

;; Mutual recursion in tail position with values at the bottom.
(define (ping n) (if (= n 0) (values 'ping n) (pong (- n 1))))
(define (pong n) (if (= n 0) (values 'pong n 'extra) (ping (- n 1))))
(show (call-with-values (lambda () (ping 100001)) list))
(show (call-with-values (lambda () (ping 100000)) list))

;; The consumer's result is call-with-values's result, and call-with-values in tail position
;; passes the consumer's values on.
(define (swap a b) (call-with-values (lambda () (values a b)) (lambda (x y) (values y x))))
(show (call-with-values (lambda () (swap 1 2)) list))
(define (spread-tail lst) (call-with-values (lambda () (apply values lst)) values))
(show (call-with-values (lambda () (spread-tail '(1 2 3 4 5 6 7 8))) list))
;; Tail calls of many values in a loop run in constant stack.
(define (count-down n)
  (if (= n 0)
      (values 1 2 3 4 5 6)
      (call-with-values (lambda () (values n 2 3 4 5 6))
        (lambda (a b c d e f) (count-down (- a 1))))))
(show (call-with-values (lambda () (count-down 1000000)) +))
