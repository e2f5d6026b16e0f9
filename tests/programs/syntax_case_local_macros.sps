;; Procedural transformers bound by letrec-syntax (recursive) and let-syntax.
(import (rnrs))
(display
  (letrec-syntax ((count-down
                    (lambda (x)
                      (syntax-case x ()
                        ((_) #''(done))
                        ((_ a b ...) #'(cons 'a (count-down b ...)))))))
    (count-down 3 2 1)))
(newline)
(display
  (let-syntax ((twice (lambda (x) (syntax-case x () ((_ e) #'(begin e e))))))
    (let ((n 0)) (twice (set! n (+ n 1))) n)))
(newline)
