(import (rnrs))
;; Running out of stack (the continuation chain past its limit) is a &serious condition that
;; guard catches, as often as it happens; errors deep in a recursion are caught too.
(define (f n) (+ 1 (f (+ n 1))))
(display (guard (e (#t (list 'caught (serious-condition? e) (condition-message e)))) (f 0)))
(newline)
(display (guard (e (#t (list 'caught-again (condition-message e)))) (f 0)))
(newline)
(define (g n) (if (= n 0) (car 5) (+ 1 (g (- n 1)))))
(display (guard (e ((assertion-violation? e) (list 'deep-car (condition-who e)))) (g 1000000)))
(newline)
