(import (rnrs))
(lambda (x y x) x)
