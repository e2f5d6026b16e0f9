;; The forms and procedures transformers are written with: patterns (ellipses, nested
;; ellipses, dotted and vector patterns, `_`, literals, fenders), templates, quasisyntax,
;; with-syntax, generate-temporaries, variable transformers and identifier-syntax.
(import (rnrs))

(define-syntax my-let*
  (lambda (x)
    (syntax-case x ()
      ((_ () body ...) #'(let () body ...))
      ((_ ((n v) rest ...) body ...) #'(let ((n v)) (my-let* (rest ...) body ...))))))
(display (my-let* ((a 1) (b (+ a 1))) (* a b)))
(newline)

;; Nested ellipses, flattened with `... ...` and kept nested.
(define-syntax flatten
  (lambda (x)
    (syntax-case x ()
      ((_ (a ...) ...) #''(a ... ...)))))
(display (flatten (1 2) (3) (4 5 6)))
(newline)
(define-syntax pairs
  (lambda (x)
    (syntax-case x ()
      ((_ (k v ...) ...) #''((k . (v ...)) ...)))))
(display (pairs (a 1 2) (b) (c 3)))
(newline)

;; Dotted and vector patterns, `_`, and an ellipsis followed by more patterns.
(define-syntax shape
  (lambda (x)
    (syntax-case x ()
      ((_ #(a b ...)) #''(vector a (b ...)))
      ((_ (a . rest)) #''(dotted a rest))
      ((_ _ ... last) #''(last last)))))
(display (list (shape #(1 2 3)) (shape (1 . 2)) (shape (1 2 3)) (shape 7 8 9)))
(newline)

;; A helper procedure made at expand time, quasisyntax with unsyntax and unsyntax-splicing.
(define-syntax count-args
  (let ((len (lambda (l) (length l))))
    (lambda (x)
      (syntax-case x ()
        ((_ a ...) #`(quote #,(len #'(a ...))))))))
(display (count-args p q r))
(newline)
(define-syntax doubled
  (lambda (x)
    (syntax-case x ()
      ((_ a ...) #`(list 0 #,@(map (lambda (n) (* 2 (syntax->datum n))) #'(a ...)))))))
(display (doubled 1 2 3))
(newline)

;; Fenders.
(define-syntax kind
  (lambda (x)
    (syntax-case x ()
      ((_ a) (identifier? #'a) #''identifier)
      ((_ a) (number? (syntax->datum #'a)) #''number)
      ((_ a) #''other))))
(display (list (kind foo) (kind 42) (kind "s")))
(newline)

;; Macros defining macros.
(define-syntax def-const
  (lambda (x)
    (syntax-case x ()
      ((_ name val) #'(define-syntax name (lambda (y) (syntax-case y () (_ #'val))))))))
(def-const five 5)
(display (+ (five) 1))
(newline)

;; generate-temporaries and with-syntax.
(define-syntax temps
  (lambda (x)
    (syntax-case x ()
      ((_ v ...)
       (with-syntax (((t ...) (generate-temporaries #'(v ...))))
         #'(let ((t v) ...) (list t ...)))))))
(display (temps 7 8 9))
(newline)

;; A variable transformer, and both forms of identifier-syntax.
(define counter 0)
(define-syntax var
  (make-variable-transformer
    (lambda (x)
      (syntax-case x (set!)
        ((set! _ e) #'(set! counter (+ counter e)))
        (id (identifier? #'id) #'counter)))))
(set! var 10)
(set! var 5)
(display var)
(newline)
(define-syntax ten (identifier-syntax 10))
(define cell 0)
(define-syntax cell-ref
  (identifier-syntax
    (_ cell)
    ((set! _ e) (set! cell (* 2 e)))))
(set! cell-ref 21)
(display (list (+ ten 1) cell-ref))
(newline)

;; A transformer keeps its state across uses within one expansion.
(define-syntax next-number
  (let ((n 0))
    (lambda (x)
      (set! n (+ n 1))
      (datum->syntax #'here n))))
(display (list (next-number) (next-number) (next-number)))
(newline)

;; syntax-violation raises a &syntax condition: a transformer can catch it, and so can a
;; program at run time.
(define-syntax checked
  (lambda (x)
    (guard (c ((syntax-violation? c) #`(quote #,(condition-message c))))
      (syntax-case x ()
        ((_ a) (identifier? #'a) #''fine)
        ((_ a) (syntax-violation 'checked "not an identifier" x #'a))))))
(display (list (checked a) (checked 1)))
(newline)
(display (guard (c ((syntax-violation? c)
                    (list (condition-who c) (condition-message c)
                          (syntax->datum (syntax-violation-form c)))))
           (syntax-violation 'me "bad form" #'(x y))))
(newline)

;; quasisyntax in vectors and nested: the inner level's unsyntax stays for the inner one.
(define-syntax vec-of
  (lambda (x)
    (syntax-case x ()
      ((_ a ...) #`#(first #,@#'(a ...) last)))))
(display (vec-of 1 2))
(newline)
(define-syntax make-quoter
  (lambda (x)
    (syntax-case x ()
      ((_ name value)
       #`(define-syntax name
           (lambda (y)
             #`(list 'value #,(+ 1 #,(syntax->datum #'value)))))))))
(make-quoter eleven 10)
(display (eleven))
(newline)
