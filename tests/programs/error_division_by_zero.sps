(import (rnrs) (rnrs r5rs))
(write (quotient 7 2))
(newline)
(write (remainder 7 0))
