;; R7RS promises: delay evaluates once, delay-force chains run in constant space, and a
;; promise forced again from inside its own thunk keeps the first value.
(import (scheme base) (scheme write) (scheme lazy))

(define (show . xs) (for-each display xs) (newline))

(define count 0)
(define p (delay (begin (set! count (+ count 1)) (* 6 7))))
(show (promise? p) " " (promise? 42) " " count)
(show (force p) " " (force p) " " count)

(show (force (make-promise 5)) " " (promise? (make-promise 5)) " "
      (eq? p (make-promise p)) " " (force 9))

;; A stream of integers; a long delay-force loop does not grow the stack or the heap's
;; live data.
(define (loop n) (delay-force (if (= n 0) (delay 'done) (loop (- n 1)))))
(show (force (loop 1000000)))

(define (stream-from n) (cons n (delay (stream-from (+ n 1)))))
(define (stream-ref s k) (if (= k 0) (car s) (stream-ref (force (cdr s)) (- k 1))))
(show (stream-ref (stream-from 0) 1000))

;; R7RS's reentrancy example: the first value computed is the promise's value.
(define x 5)
(define r
  (delay (begin (set! x (+ x 1))
                (if (> x 10) x (force r)))))
(show (force r))
