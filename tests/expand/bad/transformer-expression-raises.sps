(import (rnrs))
(define-syntax m
  (let ((table (vector 1 2)))
    (vector-ref table 5)))
(m)
