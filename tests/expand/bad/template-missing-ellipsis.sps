(import (rnrs))
(define-syntax m
  (lambda (x)
    (syntax-case x ()
      ((_ a ...) #'(list a)))))
(m 1 2)
