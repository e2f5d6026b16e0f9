(import (rnrs))
;; Live data that keeps growing exhausts a 16 MiB heap (LOKO_HEAP in gc_heap_exhaustion.env):
;; the program ends with the out-of-memory error and status 70, not a crash or a signal.
(display "growing")
(newline)
(define (grow list n)
  (grow (cons (make-vector 10 n) list) (+ n 1)))
(grow '() 0)
(display "never printed")
