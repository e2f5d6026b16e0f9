(import (rnrs))
;; The largest fixnum plus one is a bignum, and back down is a fixnum again.
(define largest 1152921504606846975)
(display "before") (newline)
(display (+ largest 1)) (newline)
(display (- (+ largest 1) 1)) (newline)
(display (fixnum? (- (+ largest 1) 1))) (newline)
(display (+ largest largest largest)) (newline)
(display (- (- largest) largest 10)) (newline)
