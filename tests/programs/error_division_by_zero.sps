(import (rnrs))
(write (quotient 7 2))
(newline)
(write (remainder 7 0))
