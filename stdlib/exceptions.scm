;;; Exceptions: (rnrs exceptions) and R7RS's — with-exception-handler, raise,
;;; raise-continuable, error, assertion-violation — the conditions of runtime errors, and the
;;; report of an uncaught exception. Part of the base library.

;;; The handler stack: a list of handlers, the current one first. It is part of the dynamic
;;; environment: every change to it is undone by dynamic-wind, so continuations that escape
;;; from a thunk or a handler (guard's among them) leave it as it was where they go.

(define $handlers '())

;; Calls `thunk` with `handlers` as the handler stack.
(define ($with-handlers handlers thunk)
  (let ((outer $handlers))
    (dynamic-wind (lambda () (set! $handlers handlers))
                  thunk
                  (lambda () (set! $handlers outer)))))

(define (with-exception-handler handler thunk)
  ($check-procedure 'with-exception-handler handler)
  ($check-procedure 'with-exception-handler thunk)
  ($with-handlers (cons handler $handlers) thunk))

;; Calls the current handler on `obj` with the handlers outside it installed (R6RS: the
;; handler stack of the with-exception-handler call that installed it).
(define ($call-handler handlers obj)
  ($with-handlers (cdr handlers) (lambda () ((car handlers) obj))))

(define (raise obj)
  (let ((handlers $handlers))
    (if (null? handlers) ($uncaught obj))
    ($call-handler handlers obj)
    ;; The handler returned: a secondary exception, in the handler's dynamic environment.
    (set! $handlers (cdr handlers))
    (raise (condition (make-non-continuable-violation)
                      (make-who-condition 'raise)
                      (make-message-condition "handler returned from a non-continuable exception")
                      (make-irritants-condition (list obj))))))

(define (raise-continuable obj)
  (let ((handlers $handlers))
    (if (null? handlers) ($uncaught obj))
    ($call-handler handlers obj)))

;; (guard (var clause ...) body ...), after R7RS's reference implementation: the body runs
;; with a handler that escapes to guard's continuation to try the clauses there; when none
;; applies, it goes back into the handler's continuation and re-raises with
;; raise-continuable, in the dynamic environment of the original raise.
(define-syntax guard
  (syntax-rules ()
    ((_ (var clause ...) e1 e2 ...)
     ((call/cc
       (lambda (guard-k)
         (with-exception-handler
          (lambda (condition)
            ((call/cc
              (lambda (handler-k)
                (guard-k
                 (lambda ()
                   (let ((var condition))
                     ($guard-clauses
                      (handler-k (lambda () (raise-continuable condition)))
                      clause ...))))))))
          (lambda ()
            (call-with-values (lambda () e1 e2 ...)
              (lambda args (guard-k (lambda () (apply values args)))))))))))))

(define-syntax $guard-clauses
  (syntax-rules (else =>)
    ((_ reraise (else result1 result2 ...)) (begin result1 result2 ...))
    ((_ reraise (test => receiver))
     (let ((t test)) (if t (receiver t) reraise)))
    ((_ reraise (test => receiver) clause1 clause2 ...)
     (let ((t test)) (if t (receiver t) ($guard-clauses reraise clause1 clause2 ...))))
    ((_ reraise (test)) (or test reraise))
    ((_ reraise (test) clause1 clause2 ...)
     (let ((t test)) (if t t ($guard-clauses reraise clause1 clause2 ...))))
    ((_ reraise (test result1 result2 ...))
     (if test (begin result1 result2 ...) reraise))
    ((_ reraise (test result1 result2 ...) clause1 clause2 ...)
     (if test (begin result1 result2 ...) ($guard-clauses reraise clause1 clause2 ...)))))

;;; error and assertion-violation.

(define ($who? x) (or (not x) (symbol? x) (string? x)))

(define ($raise-error type who message irritants)
  (raise (apply condition
                (type)
                (append (if who (list (make-who-condition who)) '())
                        (list (make-message-condition message)
                              (make-irritants-condition irritants))))))

;; R6RS's (error who message irritant ...) and R7RS's (error message irritant ...): a
;; first argument that is a string starts R7RS's form unless a second string follows it.
(define (error first . rest)
  (cond ((and (string? first) (or (null? rest) (not (string? (car rest)))))
         ($raise-error make-error #f first rest))
        ((and ($who? first) (pair? rest) (string? (car rest)))
         ($raise-error make-error first (car rest) (cdr rest)))
        (else (assertion-violation 'error "expected (error who message irritant ...)" first))))

(define (assertion-violation who message . irritants)
  (unless (and ($who? who) (string? message))
    (assertion-violation 'assertion-violation "expected (assertion-violation who message irritant ...)"
                         who))
  ($raise-error make-assertion-violation who message irritants))

;;; Runtime errors. The error exit of generated code (backend/src/codegen/emit.rs) calls
;;; this with the number of a runtime::error::ErrorKind, the procedure that failed (or #f),
;;; the irritant, and the kind's (message . has-irritant?). It never returns.

(define ($raise-runtime-error kind who irritant entry)
  ($raise-error (case kind
                  ((5) make-undefined-violation)
                  ((6 7) make-serious-condition)
                  ((2) make-implementation-restriction-violation)
                  (else make-assertion-violation))
                who
                (car entry)
                (if (cdr entry) (list irritant) '())))

;;; The uncaught exception: print it to stderr and exit with status 70 (without running the
;;; dynamic-wind after thunks, as `exit` would), in the format the
;;; runtime's own report uses (runtime/src/error.rs):
;;;   Unhandled exception: assertion violation
;;;     who: car
;;;     message: "wrong type argument"
;;;     irritants: (5)

(define $reporting #f)

(define ($uncaught obj)
  ;; An error while reporting must not report again.
  (when $reporting ($exit 70))
  (set! $reporting #t)
  (set! $handlers '())
  ;; What the program wrote comes before the report.
  ($flush-output-ports)
  ($print-to-stderr "Unhandled exception: " #f)
  (if (condition? obj)
      (begin
        ($print-to-stderr ($condition-kind obj) #f)
        ($print-to-stderr #\newline #f)
        (for-each $print-simple-condition ($simple-conditions '$uncaught obj)))
      (begin
        ($print-to-stderr "non-condition object\n  value: " #f)
        ($print-to-stderr obj #t)
        ($print-to-stderr #\newline #f)))
  ($exit 70))

(define ($condition-kind c)
  (cond ((assertion-violation? c) "assertion violation")
        ((non-continuable-violation? c) "non-continuable violation")
        ((implementation-restriction-violation? c) "implementation restriction")
        ((undefined-violation? c) "undefined variable")
        ((lexical-violation? c) "lexical violation")
        ((syntax-violation? c) "syntax violation")
        ((error? c) "error")
        ((violation? c) "violation")
        ((serious-condition? c) "serious condition")
        ((warning? c) "warning")
        (else "condition")))

;; The types the report's first line names, whose conditions need no line of their own.
(define $kind-types
  (list &assertion &non-continuable &implementation-restriction &undefined &lexical &error
        &violation &serious &warning))

(define ($print-field label value write?)
  ($print-to-stderr "  " #f)
  ($print-to-stderr label #f)
  ($print-to-stderr ": " #f)
  ($print-to-stderr value write?)
  ($print-to-stderr #\newline #f))

(define ($print-simple-condition c)
  (cond ((who-condition? c) ($print-field "who" (condition-who c) #f))
        ((message-condition? c) ($print-field "message" (condition-message c) #t))
        ((irritants-condition? c) ($print-field "irritants" (condition-irritants c) #t))
        ((syntax-violation? c)
         ($print-field "form" (syntax-violation-form c) #t)
         ($print-field "subform" (syntax-violation-subform c) #t))
        ((memq ($record-rtd c) $kind-types) #t)
        (else ($print-field "condition" ($rtd-name ($record-rtd c)) #f))))
