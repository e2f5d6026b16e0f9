(import (rnrs))
(display (define x 1))
