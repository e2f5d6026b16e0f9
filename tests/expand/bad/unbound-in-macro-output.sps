(import (rnrs))
(define-syntax show-it
  (syntax-rules () ((_ e) (dispaly e))))
(show-it 42)
