(import (rnrs))
(define-syntax only-identifiers
  (lambda (x)
    (syntax-case x ()
      ((_ a) (identifier? #'a) #''ok)
      ((_ a) (syntax-violation 'only-identifiers "expected an identifier" x #'a)))))
(only-identifiers (+ 1 2))
