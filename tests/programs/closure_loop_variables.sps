(import (rnrs))
;; A closure made in each iteration captures that iteration's binding.
(define thunks
  (let loop ((i 0) (acc '()))
    (if (= i 5)
        (reverse acc)
        (loop (+ i 1) (cons (lambda () (* i 10)) acc)))))
(write (map (lambda (t) (t)) thunks))
(newline)
(define more '())
(do ((i 0 (+ i 1))) ((= i 3))
  (set! more (cons (lambda () i) more)))
(write (map (lambda (t) (t)) more))
(newline)
