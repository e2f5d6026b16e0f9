(import (rnrs))
;; Flonum comparisons in value and test position (inline SSE2 in the slow path), NaN, mixed exactness.
(define (show . xs) (write xs) (newline))
(define nan (/ 0. 0.))
(define (cmp a b) (list (< a b) (<= a b) (= a b) (>= a b) (> a b) (if (< a b) 'lt 'not-lt) (if (= a b) 'eq 'ne) (if (>= a b) 'ge 'not-ge)))
(show (cmp 1.5 2.5) (cmp 2.5 1.5) (cmp 2.5 2.5) (cmp nan 1.0) (cmp 1.0 nan) (cmp nan nan) (cmp 0.0 -0.0))
(show (+ 1.5 2) (+ 2 1.5) (- 1.5 3) (* 4 0.25) (* 1.5 1.5) (- 0.1 0.3) (+ (expt 2 62) 0.5) (* 1.0 (- (expt 2 60))))
(show (cmp 9007199254740993 9007199254740992.0) (cmp 1 1.0))
