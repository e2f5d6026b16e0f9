(import (rnrs))
;; Continuations accept the number of values their context expects.
(define (show . xs) (write xs) (newline))
(call-with-values (lambda () (call/cc (lambda (k) (k 1 2)))) show)
(call-with-values (lambda () (call/cc (lambda (k) (k)))) show)
(call-with-values (lambda () (call/cc (lambda (k) (k 1 2 3 4 5 6 7 8 9)))) show)
(call-with-values (lambda () (call/cc (lambda (k) (values 'a 'b 'c 'd 'e)))) show)
(call-with-values (lambda () (call/cc (lambda (k) (apply k '(x y z))))) show)
;; Re-entering a multiple-value continuation.
(define again #f)
(define n 0)
(call-with-values (lambda () (call/cc (lambda (k) (set! again k) (values 0 0))))
  (lambda (a b) (set! n (+ n 1)) (show a b)))
(if (< n 3) (again n (* n n)))
;; Values passing through an underflow: the capture empties the stack, so the frames above
;; come back when the values return.
(define (f) (call/cc (lambda (k) (values 1 2 3 4 5 6))))
(define (g) (call-with-values f list))
(show (g))
(let-values (((a b) (call/cc (lambda (k) (k 'p 'q))))) (show a b))
;; One value to a continuation that takes one, in effect position, and in a tail call.
(call/cc (lambda (k) (k 1 2 3)))
(show (+ 1 (call/cc (lambda (k) (k 41)))))
