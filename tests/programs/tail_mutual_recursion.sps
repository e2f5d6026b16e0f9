(import (rnrs))
;; Mutually recursive top-level procedures call each other in tail position.
(define (my-even? n) (if (= n 0) #t (my-odd? (- n 1))))
(define (my-odd? n) (if (= n 0) #f (my-even? (- n 1))))
(write (list (my-even? 10000000) (my-odd? 10000001) (my-even? 7)))
(newline)
