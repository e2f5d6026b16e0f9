;; guard catches the conditions of runtime errors; their accessors name the primitive.
(import (rnrs) (rnrs r5rs))

(define (show . xs) (for-each display xs) (newline))

(define (describe c)
  (if (condition? c)
      (list (if (assertion-violation? c) 'assertion 'other)
            (and (who-condition? c) (condition-who c))
            (condition-message c)
            (condition-irritants c))
      (list 'non-condition c)))

(define-syntax try
  (syntax-rules ()
    ((_ e) (guard (c (#t (describe c))) e))))

(define v (vector 1 2 3))
(define not-a-procedure 5)
(show (try (car 5)))
(show (try (vector-ref v 10)))
(show (try (vector-ref v -1)))
(show (try (quotient 1 0)))
(show (try (/ 1 0)))
(show (try ((lambda (x) x))))
(show (try (not-a-procedure 1)))
(show (try (string-ref "abc" 'x)))
(show (try (length '(1 2 . 3))))
(show (try (error 'my-proc "custom failure" 1 2)))
(show (try (assert (= 1 2))))
(show (try (raise 'plain-symbol)))

;; The program goes on after each: guard returns the clause's value.
(show (guard (c ((string? c) (string-append "caught " c))) (raise "text")))
(show (guard (c ((symbol? c) 'symbol) ((number? c) (* c 2))) (+ 1 (raise 21))))
;; `=>` and else clauses.
(show (guard (c ((assq 'a c) => cdr) ((assq 'b c))) (raise (list (cons 'a 42)))))
(show (guard (c ((assq 'a c) => cdr) ((assq 'b c))) (raise (list (cons 'b 23)))))
(show (guard (c (else 'otherwise)) (vector-ref v 3)))
;; No exception: the body's values.
(show (guard (c (#t 'never)) (+ 1 2)))
(call-with-values (lambda () (guard (c (#t 'never)) (values 1 2)))
  (lambda (a b) (show a " " b)))
