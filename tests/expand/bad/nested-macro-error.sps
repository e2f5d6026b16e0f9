(import (rnrs))
(define-syntax my-if
  (syntax-rules () ((_ c a b) (cond (c a) (else b)))))
(define-syntax check
  (syntax-rules () ((_ e) (my-if e (quote ok) (lambda ())))))
(check #t)
