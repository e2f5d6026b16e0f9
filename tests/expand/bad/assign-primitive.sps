(import (rnrs))
(set! car cdr)
