(import (rnrs))
(define-syntax broken
  (lambda (x)
    (error 'broken "this macro always fails" 42)))
(display (broken))
