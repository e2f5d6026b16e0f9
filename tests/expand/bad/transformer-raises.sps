(import (rnrs))
(define-syntax broken
  (lambda (x)
    (car (syntax->datum x) 1)))
(broken 1 2)
