(import (rnrs))
(define-syntax m
  (lambda (x)
    (syntax-case x ()
      ((_ a) a))))
(m 1)
