(import (rnrs))
(define-syntax two
  (lambda (x)
    (syntax-case x ()
      ((_ a b) #'(list a b)))))
(two 1)
