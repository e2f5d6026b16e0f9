;; A plain library: one exported procedure and one exported under another name.
(library (util helpers (1 0))
  (export make-adder (rename (secret-double double)))
  (import (rnrs base (6)))
  (define (make-adder n) (lambda (x) (+ x n)))
  (define (secret-double x) (* 2 x)))
