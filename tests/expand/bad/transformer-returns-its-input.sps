(import (rnrs))
(define-syntax m (lambda (stx) stx))
(m)
