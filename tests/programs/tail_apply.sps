(import (rnrs))
;; apply in tail position does not grow the stack.
(define (loop n acc)
  (if (= n 0)
      acc
      (apply loop (list (- n 1) (+ acc 1)))))
(write (loop 3000000 0))
(newline)
(define (spread n . rest)
  (if (= n 0) (length rest) (apply spread (- n 1) 'x 'y rest)))
(write (spread 1000 'z))
(newline)
