(import (rnrs))
(define-syntax m
  (lambda (x)
    (syntax-case x ()
      ((_ a ... b ...) #'1))))
(m)
