;;; R6RS conditions ((rnrs conditions), the condition types of (rnrs io ports)) and R7RS's
;;; error-object procedures. Part of the base library.
;;;
;;; A simple condition is a record whose type descends from &condition; a compound condition
;;; is an opaque record holding the list of its simple conditions.

(define &condition (make-record-type-descriptor '&condition #f #f #f #f '#()))

(define $compound-condition-rtd
  (make-record-type-descriptor 'condition #f #f #t #t '#((immutable components))))

(define ($compound-condition? x)
  (and ($record? x) (eq? ($record-rtd x) $compound-condition-rtd)))

(define (condition? x)
  (or ($record-of? x &condition) ($compound-condition? x)))

;; The simple conditions of `c`, without copying.
(define ($simple-conditions who c)
  (cond (($compound-condition? c) ($record-ref c 0))
        (($record-of? c &condition) (list c))
        (else (assertion-violation who "not a condition" c))))

(define (condition . conditions)
  ($record $compound-condition-rtd
           (apply append (map (lambda (c) ($simple-conditions 'condition c)) conditions))))

(define (simple-conditions c)
  (list-copy ($simple-conditions 'simple-conditions c)))

(define ($check-condition-type who rtd)
  ($check-rtd who rtd)
  (let loop ((type rtd))
    (cond ((eq? type &condition) #t)
          ((not type) (assertion-violation who "not a condition type" rtd))
          (else (loop ($rtd-parent type))))))

(define (condition-predicate rtd)
  ($check-condition-type 'condition-predicate rtd)
  (lambda (x)
    (and (condition? x)
         (let loop ((cs ($simple-conditions 'condition-predicate x)))
           (and (pair? cs) (or ($record-of? (car cs) rtd) (loop (cdr cs))))))))

(define (condition-accessor rtd proc)
  ($check-condition-type 'condition-accessor rtd)
  ($check-procedure 'condition-accessor proc)
  (lambda (c)
    (let loop ((cs ($simple-conditions 'condition-accessor c)))
      (cond ((null? cs)
             (assertion-violation 'condition-accessor "the condition has no component of the type"
                                  c ($rtd-name rtd)))
            (($record-of? (car cs) rtd) (proc (car cs)))
            (else (loop (cdr cs)))))))

(define-syntax define-condition-type
  (syntax-rules ()
    ((_ type supertype constructor predicate (field accessor) ...)
     (begin
       (define type
         (make-record-type-descriptor 'type supertype #f #f #f (vector '(immutable field) ...)))
       (define constructor (record-constructor (make-record-constructor-descriptor type #f #f)))
       (define predicate (condition-predicate type))
       ($define-condition-accessors type 0 (field accessor) ...)))))

(define-syntax $define-condition-accessors
  (syntax-rules ()
    ((_ type k) (begin))
    ((_ type k (field accessor) more ...)
     (begin
       (define accessor (condition-accessor type ($record-accessor type k 'accessor)))
       ($define-condition-accessors type (+ k 1) more ...)))))

;;; The standard condition types.

(define-condition-type &message &condition make-message-condition message-condition?
  (message condition-message))
(define-condition-type &warning &condition make-warning warning?)
(define-condition-type &serious &condition make-serious-condition serious-condition?)
(define-condition-type &error &serious make-error error?)
(define-condition-type &violation &serious make-violation violation?)
(define-condition-type &assertion &violation make-assertion-violation assertion-violation?)
(define-condition-type &irritants &condition make-irritants-condition irritants-condition?
  (irritants condition-irritants))
(define-condition-type &who &condition make-who-condition who-condition?
  (who condition-who))
(define-condition-type &non-continuable &violation make-non-continuable-violation
  non-continuable-violation?)
(define-condition-type &implementation-restriction &violation
  make-implementation-restriction-violation implementation-restriction-violation?)
(define-condition-type &lexical &violation make-lexical-violation lexical-violation?)
(define-condition-type &syntax &violation make-syntax-violation syntax-violation?
  (form syntax-violation-form)
  (subform syntax-violation-subform))
(define-condition-type &undefined &violation make-undefined-violation undefined-violation?)

;;; The condition types of (rnrs io ports), for R7RS's file-error? and read-error?.

(define-condition-type &i/o &error make-i/o-error i/o-error?)
(define-condition-type &i/o-read &i/o make-i/o-read-error i/o-read-error?)
(define-condition-type &i/o-write &i/o make-i/o-write-error i/o-write-error?)
(define-condition-type &i/o-invalid-position &i/o make-i/o-invalid-position-error
  i/o-invalid-position-error?
  (position i/o-error-position))
(define-condition-type &i/o-filename &i/o make-i/o-filename-error i/o-filename-error?
  (filename i/o-error-filename))
(define-condition-type &i/o-file-protection &i/o-filename make-i/o-file-protection-error
  i/o-file-protection-error?)
(define-condition-type &i/o-file-is-read-only &i/o-file-protection
  make-i/o-file-is-read-only-error i/o-file-is-read-only-error?)
(define-condition-type &i/o-file-already-exists &i/o-filename
  make-i/o-file-already-exists-error i/o-file-already-exists-error?)
(define-condition-type &i/o-file-does-not-exist &i/o-filename
  make-i/o-file-does-not-exist-error i/o-file-does-not-exist-error?)
(define-condition-type &i/o-port &i/o make-i/o-port-error i/o-port-error?
  (port i/o-error-port))
(define-condition-type &i/o-decoding &i/o-port make-i/o-decoding-error i/o-decoding-error?)
(define-condition-type &i/o-encoding &i/o-port make-i/o-encoding-error i/o-encoding-error?
  (char i/o-encoding-error-char))

;;; R7RS error objects: every condition is one; a raised non-condition is not.

(define (error-object? x) (condition? x))

(define (error-object-message c)
  (if (message-condition? c) (condition-message c) ""))

(define (error-object-irritants c)
  (if (irritants-condition? c) (condition-irritants c) '()))

(define (file-error? x) (i/o-filename-error? x))

(define (read-error? x) (or (lexical-violation? x) (i/o-read-error? x)))
