;; Several values passed through tail calls to a call whose value is an operand is an error.
(import (rnrs))
(define (three) (values 1 2 3))
(define (relay) (three))
(define x (car (list 'before)))
(display x)
(newline)
(define y (relay))
(display "not reached")
