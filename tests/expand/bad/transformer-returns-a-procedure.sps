(import (rnrs))
(define-syntax m
  (lambda (x)
    (lambda (y) y)))
(m)
