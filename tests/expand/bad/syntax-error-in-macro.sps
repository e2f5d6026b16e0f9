(import (scheme base))
(define-syntax two-args
  (syntax-rules ()
    ((_ a b) (list a b))
    ((_ . other) (syntax-error "two-args needs two arguments, got" other))))
(two-args 1 2)
(two-args 1 2 3)
