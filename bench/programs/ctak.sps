(import (rnrs))
;; Gabriel's ctak: tak with every return through a continuation captured by call/cc.
(define (ctak x y z)
  (call-with-current-continuation (lambda (k) (ctak-aux k x y z))))
(define (ctak-aux k x y z)
  (if (not (< y x))
      (k z)
      (call-with-current-continuation
       (lambda (k)
         (ctak-aux
          k
          (call-with-current-continuation (lambda (k) (ctak-aux k (- x 1) y z)))
          (call-with-current-continuation (lambda (k) (ctak-aux k (- y 1) z x)))
          (call-with-current-continuation (lambda (k) (ctak-aux k (- z 1) x y))))))))
(define (repeat i r) (if (zero? i) r (repeat (- i 1) (ctak 18 12 6))))
(write (repeat 100 0))
(newline)
