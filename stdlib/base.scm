;;; The derived forms of R6RS and R7RS-small that are syntax, as syntax-rules macros over the
;;; core forms the expander implements (define, lambda, case-lambda, if, set!, quote, begin,
;;; let-syntax, letrec-syntax, letrec, letrec*, define-syntax, syntax-rules,
;;; identifier-syntax). Embedded in loko; every standard library name exports these.
;;; Helpers whose names start with `$` are not exported.

(define-syntax let
  (syntax-rules ()
    ((_ ((name value) ...) body1 body2 ...)
     ((lambda (name ...) body1 body2 ...) value ...))
    ((_ tag ((name value) ...) body1 body2 ...)
     ((letrec ((tag (lambda (name ...) body1 body2 ...))) tag) value ...))))

(define-syntax let*
  (syntax-rules ()
    ((_ () body1 body2 ...) (let () body1 body2 ...))
    ((_ ((name value)) body1 body2 ...) (let ((name value)) body1 body2 ...))
    ((_ ((name1 value1) (name2 value2) ...) body1 body2 ...)
     (let ((name1 value1)) (let* ((name2 value2) ...) body1 body2 ...)))))

(define-syntax and
  (syntax-rules ()
    ((_) #t)
    ((_ e) e)
    ((_ e1 e2 e3 ...) (if e1 (and e2 e3 ...) #f))))

(define-syntax or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e1 e2 e3 ...) (let ((t e1)) (if t t (or e2 e3 ...))))))

(define-syntax when
  (syntax-rules ()
    ((_ test e1 e2 ...) (if test (begin e1 e2 ...)))))

(define-syntax unless
  (syntax-rules ()
    ((_ test e1 e2 ...) (if test #f (begin e1 e2 ...)))))

;; A clause `(test)` yields the test's value; `(test => receiver)` passes it on.
(define-syntax cond
  (syntax-rules (else =>)
    ((_ (else e1 e2 ...)) (begin e1 e2 ...))
    ((_ (test => receiver)) (let ((t test)) (if t (receiver t))))
    ((_ (test => receiver) clause1 clause2 ...)
     (let ((t test)) (if t (receiver t) (cond clause1 clause2 ...))))
    ((_ (test)) test)
    ((_ (test) clause1 clause2 ...) (or test (cond clause1 clause2 ...)))
    ((_ (test e1 e2 ...)) (if test (begin e1 e2 ...)))
    ((_ (test e1 e2 ...) clause1 clause2 ...)
     (if test (begin e1 e2 ...) (cond clause1 clause2 ...)))))

(define-syntax case
  (syntax-rules ()
    ((_ key clause1 clause2 ...)
     (let ((k key)) ($case k clause1 clause2 ...)))))

(define-syntax $case
  (syntax-rules (else =>)
    ((_ k) (if #f #f))
    ((_ k (else => receiver)) (receiver k))
    ((_ k (else e1 e2 ...)) (begin e1 e2 ...))
    ((_ k ((datum ...) => receiver) clause ...)
     (if ($memv k datum ...) (receiver k) ($case k clause ...)))
    ((_ k ((datum ...) e1 e2 ...) clause ...)
     (if ($memv k datum ...) (begin e1 e2 ...) ($case k clause ...)))))

;; Whether `k` is `eqv?` to one of the (unevaluated) datums.
(define-syntax $memv
  (syntax-rules ()
    ((_ k) #f)
    ((_ k datum) (eqv? k 'datum))
    ((_ k datum1 datum2 ...) (if (eqv? k 'datum1) #t ($memv k datum2 ...)))))

(define-syntax do
  (syntax-rules ()
    ((_ ((var init step ...) ...) (test result ...) command ...)
     (let loop ((var init) ...)
       (if test
           (begin (if #f #f) result ...)
           (begin command ... (loop ($do-step var step ...) ...)))))))

(define-syntax $do-step
  (syntax-rules ()
    ((_ var) var)
    ((_ var step) step)))

(define-syntax let*-values
  (syntax-rules ()
    ((_ () body1 body2 ...) (let () body1 body2 ...))
    ((_ ((formals init) binding ...) body1 body2 ...)
     (call-with-values (lambda () init)
       (lambda formals (let*-values (binding ...) body1 body2 ...))))))

;; Evaluates every init (each into a list held by a fresh temporary) before binding any of
;; the formals, so the inits do not see each other's variables.
(define-syntax let-values
  (syntax-rules ()
    ((_ () body1 body2 ...) (let () body1 body2 ...))
    ((_ ((formals init)) body1 body2 ...)
     (call-with-values (lambda () init) (lambda formals body1 body2 ...)))
    ((_ ((formals init) ...) body1 body2 ...)
     ($let-values ((formals init) ...) () (body1 body2 ...)))))

(define-syntax $let-values
  (syntax-rules ()
    ((_ () ((formals t) ...) body)
     (let*-values ((formals (apply values t)) ...) . body))
    ((_ ((formals init) binding ...) (done ...) body)
     (let ((t (call-with-values (lambda () init) list)))
       ($let-values (binding ...) (done ... (formals t)) body)))))

(define-syntax define-values
  (syntax-rules ()
    ((_ formals expr)
     (begin
       (define t (call-with-values (lambda () expr) list))
       ($define-values t formals)))))

;; Defines each variable of the formals from the list of values `lst` evaluates to.
(define-syntax $define-values
  (syntax-rules ()
    ((_ lst ()) (begin))
    ((_ lst (var . rest))
     (begin (define var (car lst)) ($define-values (cdr lst) rest)))
    ((_ lst var) (define var lst))))

(define-syntax quasiquote
  (syntax-rules ()
    ((_ template) ($quasi template ()))))

;; The depth is a nest of lists: () outside any inner quasiquote, (()) one level in, ...
(define-syntax $quasi
  (syntax-rules (unquote unquote-splicing quasiquote)
    ((_ (unquote e) ()) e)
    ((_ (unquote e) (depth)) (list 'unquote ($quasi e depth)))
    ((_ (quasiquote e) depth) (list 'quasiquote ($quasi e (depth))))
    ((_ ((unquote-splicing e) . rest) ()) (append e ($quasi rest ())))
    ((_ ((unquote-splicing e) . rest) (depth))
     (cons (list 'unquote-splicing ($quasi e depth)) ($quasi rest (depth))))
    ((_ (first . rest) depth) (cons ($quasi first depth) ($quasi rest depth)))
    ((_ #(element ...) depth) (list->vector ($quasi (element ...) depth)))
    ((_ atom depth) 'atom)))

(define-syntax assert
  (syntax-rules ()
    ((_ expression)
     (let ((t expression))
       (if t t (assertion-violation 'assert "assertion failed" 'expression))))))

;; R7RS: the parameters' values are converted, then in force for the body's dynamic extent.
(define-syntax parameterize
  (syntax-rules ()
    ((_ () body1 body2 ...) (let () body1 body2 ...))
    ((_ ((param value) ...) body1 body2 ...)
     ($parameterize (list param ...) (list value ...) (lambda () body1 body2 ...)))))

;; (with-syntax ([pattern expression] ...) body ...+): binds the patterns' variables to the
;; expressions' values, as one syntax-case clause.
(define-syntax with-syntax
  (syntax-rules ()
    ((_ () e1 e2 ...) (let () e1 e2 ...))
    ((_ ((pattern e) ...) e1 e2 ...)
     (syntax-case (list e ...) ()
       ((pattern ...) (let () e1 e2 ...))))))
