(import (rnrs))
(write (string-ref "abc" 0))
(newline)
(string-ref "abc" -1)
