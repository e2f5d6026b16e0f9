(import (rnrs))
(define-syntax m
  (lambda (x)
    (syntax-case x ()
      (_ #'1))))
(set! m 2)
