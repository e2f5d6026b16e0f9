(import (rnrs))
(write (map - '(1 2)))
(newline)
(map - 7)
