#!r6rs
(import (rnrs))
(define (add-one x) (+ x 1))
(display (add-one 41))
