(import (rnrs))
;; Unbounded non-tail recursion grows the stack onto new segments until the total limit, then
;; ends with a stack overflow error (exit 70), never a crash.
(define (f n) (+ 1 (f (+ n 1))))
(display "start")
(newline)
(f 0)
