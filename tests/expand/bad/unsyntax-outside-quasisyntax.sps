(import (rnrs))
(define-syntax m
  (lambda (x)
    #'(list #,(+ 1 2))))
(m)
