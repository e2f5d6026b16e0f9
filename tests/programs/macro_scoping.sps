(import (rnrs))
;; A macro refers to the global helper visible where it was defined, even where a local
;; variable of the same name is in scope; local macros and recursive macros work too.
(define (helper x) (list 'global-helper x))
(define-syntax call-helper
  (syntax-rules ()
    ((_ x) (helper x))))
(write (let ((helper (lambda (x) 'local))) (call-helper 1)))
(newline)
(write (let-syntax ((double (syntax-rules () ((_ e) (* 2 e)))))
         (double 21)))
(newline)
(write (letrec-syntax ((count-args (syntax-rules ()
                                     ((_) 0)
                                     ((_ x y ...) (+ 1 (count-args y ...))))))
         (count-args a b c d)))
(newline)
(define-syntax define-getter
  (syntax-rules ()
    ((_ name value) (define (name) value))))
(define-getter get-answer 42)
(write (get-answer))
(newline)
