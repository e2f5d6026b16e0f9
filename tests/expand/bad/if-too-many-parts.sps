(import (rnrs))
(if 1 2 3 4)
