(import (rnrs))
;; (exit #f) reports failure.
(display "failing")
(newline)
(exit #f)
