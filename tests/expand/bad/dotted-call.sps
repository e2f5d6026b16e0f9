(import (rnrs))
(car . x)
