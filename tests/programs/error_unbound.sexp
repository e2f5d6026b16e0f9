;; Reference to an undefined global variable.
(program ((primitive display) (global nowhere)))
