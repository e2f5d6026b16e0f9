(import (rnrs))
;; Raising and catching: guard around a runtime error (an &assertion condition built in
;; Scheme from the error exit), and with-exception-handler with raise-continuable.
(define (safe-ref v i) (guard (c ((assertion-violation? c) -1)) (vector-ref v i)))
(define (catch-errors n)
  (let ((v (vector 1 2 3)))
    (let loop ((i 0) (sum 0))
      (if (= i n) sum (loop (+ i 1) (+ sum (safe-ref v (if (even? i) 1 5))))))))
(define (continuable n)
  (let loop ((i 0) (sum 0))
    (if (= i n)
        sum
        (loop (+ i 1)
              (+ sum (with-exception-handler (lambda (c) (* c 2))
                                             (lambda () (raise-continuable i))))))))
(write (catch-errors 100000))
(newline)
(write (continuable 100000))
(newline)
