(program
  (letrec ([f (lambda (x) (if))])
    (f (quote 1))))
