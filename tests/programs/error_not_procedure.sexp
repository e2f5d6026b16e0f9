;; Calling a non-procedure.
(program ((quote 5) (quote 1)))
