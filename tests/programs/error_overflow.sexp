;; Fixnum overflow is an error (no bignums yet).
(program (begin ((primitive display) (quote "x")) ((primitive +) (quote 1152921504606846975) (quote 1))))
