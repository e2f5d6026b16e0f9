(import (rnrs))
(define-syntax deep
  (lambda (x)
    (let loop ((n 0))
      (+ 1 (loop (+ n 1))))))
(deep)
