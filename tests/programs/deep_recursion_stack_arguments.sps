(import (rnrs))
;; Deep recursion through procedures with stack arguments and rest lists: the frames that
;; overflow a segment move with their arguments intact.
(define (f7 n a b c d e g) (if (= n 0) (list a b c d e g) (let ((r (f7 (- n 1) b c d e g a))) r)))
(write (f7 1000000 1 2 3 4 5 6)) (newline)
(define (fr n . rest) (if (= n 0) rest (let ((r (apply fr (- n 1) (reverse rest)))) r)))
(write (fr 300001 'a 'b 'c 'd 'e 'f 'g)) (newline)
(define (sum7 n a b c d e g) (if (= n 0) (+ a b c d e g) (+ 1 (sum7 (- n 1) a b c d e g))))
(write (sum7 1000000 1 2 3 4 5 6)) (newline)
