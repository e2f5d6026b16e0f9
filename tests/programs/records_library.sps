;; Record types and condition types exported by a library, used and caught in a program.
(import (scheme base) (scheme write) (geometry points))

(define p (make-point 3 4))
(display (point-distance2 p))
(newline)
(set-point-x! p 6)
(display (list (point-x p) (point-y p) (point? p) (point? 'p)))
(newline)
(display (guard (c ((bad-point? c) (list (bad-point-value c) (error-object-message c))))
           (checked-point 1 'two)))
(newline)
