(import (rnrs))
;; A macro's temporaries do not capture the user's variables ...
(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(define t 5)
(write (my-or #f t))
(newline)
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define tmp 'one)
(define other 'two)
(swap! tmp other)
(write (list tmp other))
(newline)
;; ... and the user's local bindings do not capture the macro's free identifiers.
(define-syntax first-of
  (syntax-rules ()
    ((_ l) (car l))))
(write (let ((car cdr)) (first-of '(a b c))))
(newline)
(define-syntax my-if
  (syntax-rules ()
    ((_ c a b) (cond (c a) (else b)))))
(write (let ((else #f)) (my-if #f 'then 'else-branch)))
(newline)
