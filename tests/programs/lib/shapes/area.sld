;; An R7RS library with its body in a begin.
(define-library (shapes area)
  (export square-area (rename rectangle-area rect-area))
  (import (scheme base))
  (begin
    (define (rectangle-area w h) (* w h))
    (define (square-area s) (rectangle-area s s))))
