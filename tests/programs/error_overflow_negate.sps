(import (rnrs))
;; The most negative fixnum has no fixnum negation.
(define smallest -1152921504606846976)
(write (- (+ smallest 1))) (newline)
(write (- smallest)) (newline)
