;; Division by zero.
(program ((primitive quotient) (quote 1) (quote 0)))
