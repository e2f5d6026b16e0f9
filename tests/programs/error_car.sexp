;; car of a non-pair.
(program ((primitive car) (quote 5)))
