(program (lambda (x) (f x (quote #t))))
