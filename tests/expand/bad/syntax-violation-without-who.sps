(import (rnrs))
(define-syntax even-args
  (lambda (x)
    (syntax-case x ()
      ((_ a ...)
       (if (even? (length #'(a ...)))
           #''ok
           (syntax-violation #f "an even number of arguments is needed" x))))))
(display (even-args 1 2))
(display
  (even-args 1 2 3))
