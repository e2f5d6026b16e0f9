(import (rnrs))
(write (vector-ref (vector 1) 0))
(newline)
(vector-ref '(1) 0)
