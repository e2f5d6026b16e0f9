;; with-exception-handler and raise-continuable: a handler's value is raise-continuable's,
;; handlers run with the outer handlers installed, and the handler stack is restored after.
(import (rnrs))

(define (show . xs) (for-each display xs) (newline))

(show (with-exception-handler
       (lambda (c) (* c 10))
       (lambda () (+ 1 (raise-continuable 4)))))

;; Nested handlers: the inner one passes the exception on to the outer one.
(show (with-exception-handler
       (lambda (c) (list 'outer c))
       (lambda ()
         (with-exception-handler
          (lambda (c) (list 'inner (raise-continuable (list 'from-inner c))))
          (lambda () (raise-continuable 'x))))))

;; After with-exception-handler returns, the outer handler is current again.
(show (with-exception-handler
       (lambda (c) 'outer)
       (lambda ()
         (with-exception-handler (lambda (c) 'inner) (lambda () 'done))
         (raise-continuable 'again))))

;; Multiple values pass through with-exception-handler and raise-continuable.
(call-with-values
    (lambda () (with-exception-handler (lambda (c) (values c c)) (lambda () (raise-continuable 7))))
  (lambda (a b) (show a " " b)))
(call-with-values
    (lambda () (with-exception-handler (lambda (c) 0) (lambda () (values 1 2 3))))
  (lambda args (show args)))

;; A warning raised continuably, handled, and the computation goes on.
(define (checked-sqrt n)
  (if (< n 0)
      (raise-continuable (condition (make-warning) (make-message-condition "negative")
                                    (make-irritants-condition (list n))))
      n))
(show (with-exception-handler
       (lambda (c) (if (warning? c) (- (car (condition-irritants c))) 0))
       (lambda () (+ (checked-sqrt 4) (checked-sqrt -9)))))

;; The condition of a runtime error, inspected by a handler (which ends the program, since
;; a runtime error is not continuable).
(with-exception-handler
 (lambda (c)
   (show (assertion-violation? c) " " (condition-who c) " " (condition-message c) " "
         (condition-irritants c))
   (exit 0))
 (lambda () (vector-ref (vector 1 2 3) 10)))
