(import (rnrs))
(define-syntax m (syntax-rules () ((_ ... x) x)))
