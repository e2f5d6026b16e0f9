;; A primitive called with the wrong number of arguments.
(program ((primitive car) (quote (1)) (quote 2)))
