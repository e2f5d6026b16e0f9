(import (rnrs))
(define car 1)
