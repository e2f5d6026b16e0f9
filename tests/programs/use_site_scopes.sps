;; Macros used in the definition context they are defined in (use-site scopes): the user's
;; identifiers stay apart from the ones a macro introduces, and a macro can define the names
;; its user gives it for the whole body.
(import (rnrs))
(define (show x) (write x) (newline))
(define-syntax identity
  (syntax-rules () ((_ misc-id) (lambda (x) (let ((misc-id 'other)) x)))))
(show ((identity x) 'the-argument))
(define-syntax def-x
  (syntax-rules () ((_ id e) (begin (define x 'macro) (define id e)))))
(define (before) y)
(define x 'user)
(def-x y x)
(show (list x y (before)))
(define (local)
  (define-syntax def-pair
    (syntax-rules () ((_ a b) (begin (define tmp (cons 1 2)) (define a (car tmp)) (define b (cdr tmp))))))
  (define tmp 'mine)
  (def-pair one two)
  (list tmp one two))
(show (local))
