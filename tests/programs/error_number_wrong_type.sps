(import (rnrs))
;; Generic arithmetic still rejects non-numbers, naming the procedure and the argument.
(write (+ (expt 2 70) 1)) (newline)
(write (* (expt 2 70) 'two)) (newline)
