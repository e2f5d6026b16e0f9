;; guard with no matching clause re-raises in the dynamic environment of the original raise;
;; nested guards, dynamic-wind, and the handler stack after an escape.
(import (rnrs))

(define (show . xs) (for-each display xs) (newline))

;; The inner guard does not match; the outer one does.
(show (guard (c ((symbol? c) (list 'outer c)))
        (guard (c ((string? c) (list 'inner c)))
          (raise 'sym))))

;; Re-raised with raise-continuable: a handler outside can return a value to the raise
;; point of a raise-continuable.
(show (with-exception-handler
       (lambda (c) 10)
       (lambda ()
         (guard (c ((string? c) 'no))
           (+ 1 (raise-continuable 'x))))))

;; dynamic-wind after thunks run when guard escapes, before the clause.
(define trace '())
(define (note x) (set! trace (cons x trace)))
(show (guard (c (#t (note 'clause) (condition-who c)))
        (dynamic-wind
         (lambda () (note 'in))
         (lambda () (car '()))
         (lambda () (note 'out)))
        'not-reached))
(show (reverse trace))

;; After a guard caught an error, the handlers outside are current again.
(show (with-exception-handler
       (lambda (c) 'outer-handler)
       (lambda ()
         (guard (c (#t 'caught)) (vector-ref (vector) 0))
         (raise-continuable 'next))))

;; A guard inside a handler, and an error inside a guard clause caught by an outer guard.
(show (guard (outer (#t (list 'outer (condition-who outer))))
        (guard (c (#t (cdr c)))
          (car 1))))

;; A loop catching many errors does not grow the stack.
(define (count-errors n)
  (let loop ((i 0) (caught 0))
    (if (= i n)
        caught
        (loop (+ i 1) (guard (c (#t (+ caught 1))) (vector-ref (vector) i))))))
(show (count-errors 10000))

;; Deep recursion that overflows is caught, and the program goes on.
(define (deep n) (+ 1 (deep n)))
(show (guard (c ((serious-condition? c) (condition-message c))) (deep 0)))
