(import (rnrs))
(define (helper x) (+ x 1))
(define-syntax m
  (lambda (x)
    (syntax-case x ()
      ((_ n) (datum->syntax #'n (helper (syntax->datum #'n)))))))
(display (m 1))
