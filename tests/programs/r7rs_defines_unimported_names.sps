;; An R7RS program may define names that only R6RS libraries give (condition, filter,
;; fold-left, assert, div): (scheme base) does not export them, so they are the program's own.
(import (scheme base) (scheme write))
(define (condition . parts) (cons 'my-condition parts))
(define (filter keep? xs)
  (cond ((null? xs) '())
        ((keep? (car xs)) (cons (car xs) (filter keep? (cdr xs))))
        (else (filter keep? (cdr xs)))))
(define (fold-left f acc xs) (if (null? xs) acc (fold-left f (f acc (car xs)) (cdr xs))))
(define-syntax assert
  (syntax-rules () ((_ e) (if e 'ok 'failed))))
(define div "not a procedure")
(write (condition 1 2)) (newline)
(write (filter odd? '(1 2 3 4 5))) (newline)
(write (fold-left - 0 '(1 2 3))) (newline)
(write (list (assert (= 1 1)) (assert (= 1 2)))) (newline)
(write div) (newline)
