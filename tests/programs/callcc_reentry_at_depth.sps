(import (rnrs))
;; Captures and re-entries at the bottom of a deep recursion: each copies a bounded piece of
;; frames, not the whole stack above it.
(define (at-depth n thunk) (if (= n 0) (thunk) (+ 1 (at-depth (- n 1) thunk))))
(define (capture-loop count)
  (let ((k #f) (i 0))
    (call/cc (lambda (c) (set! k c)))
    (set! i (+ i 1))
    (if (< i count) (k #f) i)))
(write (at-depth 100000 (lambda () (capture-loop 100000))))
(newline)
