(import (rnrs))
(lambda () (define x 1))
