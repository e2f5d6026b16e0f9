(import (rnrs))
;; Exact division by exact zero is still an error (a flonum divisor gives an infinity).
(write (/ 5.0 0)) (newline)
(write (/ 5 0)) (newline)
