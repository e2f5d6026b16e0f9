;; A primitive the backend does not compile yet.
(program ((primitive call-with-values) (lambda () (quote 1)) (lambda (x) x)))
