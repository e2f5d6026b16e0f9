(import (rnrs))
;; A continuation that accepts one value, given two: an error, as for any return.
(display (+ 1 (call/cc (lambda (k) (k 1 2)))))
