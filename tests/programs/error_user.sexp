;; The error procedure.
(program ((primitive error) (quote my-proc) (quote "something failed") (quote 1) (quote (2))))
