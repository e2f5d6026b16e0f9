(import (rnrs) (rnrs r5rs))
;; The most negative fixnum's negation is a bignum.
(define smallest -1152921504606846976)
(write (- (+ smallest 1))) (newline)
(write (- smallest)) (newline)
(write (abs smallest)) (newline)
(write (quotient smallest -1)) (newline)
(write (- (- smallest))) (newline)
(write (fixnum? (- (- smallest)))) (newline)
