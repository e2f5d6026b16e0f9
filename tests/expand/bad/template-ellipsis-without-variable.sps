(import (rnrs))
(define-syntax m
  (lambda (x)
    (syntax-case x ()
      ((_ a ...) #'(list 1 ...)))))
(m 1 2)
