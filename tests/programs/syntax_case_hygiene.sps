;; Hygiene of syntax-case macros: introduced bindings never capture the user's names, the
;; user's names never capture the macro's, and datum->syntax breaks hygiene on purpose.
(import (rnrs))

;; my-or with a temporary: the user's own `t` is not captured.
(define-syntax my-or
  (lambda (x)
    (syntax-case x ()
      ((_) #'#f)
      ((_ e) #'e)
      ((_ e r ...) #'(let ((t e)) (if t t (my-or r ...)))))))
(define t 5)
(display (my-or #f t))
(newline)

;; swap! with a temporary named like a user variable.
(define-syntax swap!
  (lambda (x)
    (syntax-case x ()
      ((_ a b) (syntax (let ((tmp a)) (set! a b) (set! b tmp)))))))
(define tmp 1)
(define y 2)
(swap! tmp y)
(display (list tmp y))
(newline)

;; A local `if` does not change what the macro's `if` means.
(display (let ((if list)) (my-or #f 'second)))
(newline)

;; A macro introduces a definition used by the procedure it also defines; the user's
;; definition of the same name is another variable.
(define-syntax define-getter
  (lambda (x)
    (syntax-case x ()
      ((_ name) #'(begin (define secret 42) (define (name) secret))))))
(define-getter get)
(define secret 1)
(display (list (get) secret))
(newline)

;; An anaphoric if: `it` is made with the use's context, so the body sees it.
(define-syntax aif
  (lambda (x)
    (syntax-case x ()
      ((k test then else)
       (with-syntax ((it (datum->syntax #'k 'it)))
         #'(let ((it test)) (if it then else)))))))
(display (aif (assq 'b '((a . 1) (b . 2))) (cdr it) 'none))
(newline)

;; free-identifier=? literals: `else` matches only while it means the base library's `else`.
(define-syntax my-cond
  (lambda (x)
    (syntax-case x (else)
      ((_) #''no-clause)
      ((_ (else e)) #'e)
      ((_ (c e) rest ...) #'(if c e (my-cond rest ...))))))
(display (my-cond (#f 1) (else 2)))
(newline)
(display (let ((else #f)) (my-cond (#f 1) (else 3) (#t 4))))
(newline)
(display (let ((else #f)) (my-cond (else 3))))
(newline)

;; Identifiers of the program at run time: records, compared and stripped.
(display (list (bound-identifier=? #'a #'a) (bound-identifier=? #'a #'b) (vector? #'a)
               (identifier? #'a) (identifier? #'(a)) (syntax->datum #'(a #(b) 1))))
(newline)
