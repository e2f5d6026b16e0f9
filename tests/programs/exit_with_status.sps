(import (rnrs))
;; Output written before exit is not lost.
(display "exiting")
(newline)
(exit 42)
(display "not reached")
