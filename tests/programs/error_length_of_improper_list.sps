(import (rnrs))
(write (length '(1 2)))
(newline)
(length '(1 2 . 3))
