;; Adding a string.
(program ((primitive +) (quote 1) (quote "a")))
