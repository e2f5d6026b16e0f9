(import (rnrs base) (rnrs io simple))
(display (filter odd? (list 1 2 3)))
