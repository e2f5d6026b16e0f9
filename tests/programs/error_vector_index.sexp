;; Index past the end of a vector.
(program ((primitive vector-ref) ((primitive vector) (quote 1)) (quote 1)))
