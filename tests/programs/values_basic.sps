;; values and call-with-values: zero, one and several values, any producer and consumer.
(import (rnrs))

(define (show . xs) (for-each display xs) (newline))

(call-with-values (lambda () (values 1 2)) (lambda (a b) (show a " " b)))
(call-with-values (lambda () (values)) (lambda () (show "no values")))
(call-with-values (lambda () (values)) list)
(show (call-with-values (lambda () (values)) list))
(show (call-with-values (lambda () (values 5)) list))
(show (call-with-values (lambda () 6) list))
(show (call-with-values (lambda () (values 1 2 3)) list))
(show (call-with-values (lambda () (values 1 2 3)) +))
(show (call-with-values (lambda () (values 4 5)) cons))
(show (call-with-values (lambda () (values 10 3)) -))
(show (values 42))
(show (+ 1 (values 2)))
;; The producer and consumer as variables, and a consumer with rest formals.
(define (two) (values 'a 'b))
(define (three-or-more x y z . more) (list z y x more))
(show (call-with-values two list))
(show (call-with-values (lambda () (values 1 2 3 4 5)) three-or-more))
;; A case-lambda consumer picks its clause by the number of values.
(define count
  (case-lambda
    (() 'none)
    ((a) 'one)
    ((a b) 'two)
    ((a b . rest) 'many)))
(show (call-with-values (lambda () (values)) count) " "
      (call-with-values (lambda () (values 1)) count) " "
      (call-with-values (lambda () (values 1 2)) count) " "
      (call-with-values (lambda () (values 1 2 3)) count))
;; values and call-with-values as first-class procedures.
(define v values)
(define cwv call-with-values)
(show (cwv (lambda () (v 1 2 3)) list))
(show (cwv (lambda () (apply values '(x y))) list))
(show (map (lambda (x) (call-with-values (lambda () (values x (* x x))) cons)) '(1 2 3)))
