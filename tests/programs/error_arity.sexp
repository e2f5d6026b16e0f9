;; A procedure called with the wrong number of arguments.
(program ((lambda (x) x) (quote 1) (quote 2)))
