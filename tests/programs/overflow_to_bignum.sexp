;; Fixnum overflow gives a bignum.
(program (begin ((primitive display) (quote "x")) ((primitive display) ((primitive +) (quote 1152921504606846975) (quote 1)))))
