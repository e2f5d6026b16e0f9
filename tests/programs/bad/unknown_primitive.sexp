;; A primitive that does not exist.
(program ((primitive frobnicate) (quote 1)))
