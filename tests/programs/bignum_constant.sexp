;; A constant outside the fixnum range becomes a static bignum.
(program ((primitive display) (quote 100000000000000000000)))
