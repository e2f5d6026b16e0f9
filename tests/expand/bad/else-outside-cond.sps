(import (rnrs))
(else 1)
