(import (rnrs))
;; The largest fixnum plus one is a bignum; until bignums exist, overflow is an error.
(define largest 1152921504606846975)
(display "before") (newline)
(display (+ largest 1))
(display "not reached") (newline)
