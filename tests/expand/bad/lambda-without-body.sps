(import (rnrs))
(lambda (x))
