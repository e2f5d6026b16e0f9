;; More values than fit in the argument registers: they travel on the stack like arguments.
(import (rnrs))

(define (show . xs) (for-each display xs) (newline))

(define (ten) (values 1 2 3 4 5 6 7 8 9 10))
(show (call-with-values ten list))
(show (call-with-values ten +))
(call-with-values ten
  (lambda (a b c d e f g h i j)
    (show (list j i h g f e d c b a))))
(call-with-values ten
  (lambda (a b c d e . rest)
    (show a b c d e " " rest)))
;; Values computed by calls, so the producer's frame holds temporaries while it returns them.
(define (squares n)
  (values (* n 1) (* n 2) (* n 3) (* n 4) (* n 5) (* n 6) (* n 7)))
(show (call-with-values (lambda () (squares 3)) list))
;; A list of values of any length, through apply.
(define (iota n) (let loop ((i n) (acc '())) (if (= i 0) acc (loop (- i 1) (cons i acc)))))
(show (call-with-values (lambda () (apply values (iota 20))) list))
(show (call-with-values (lambda () (apply values (iota 100))) +))
(show (call-with-values (lambda () (apply values 1 2 '(3 4 5 6))) vector))
(show (length (call-with-values (lambda () (apply values (iota 1000))) list)))
;; Many values straight into a consumer that takes them all as fixed parameters.
(show (call-with-values (lambda () (apply values (iota 6)))
        (lambda (a b c d e f) (- (+ a b c) (+ d e f)))))
