;;; Syntax objects at expand time (see passes/src/expand/phase.rs): identifiers are records of
;;; the opaque, sealed type below, with the fields name, scopes and span, where `scopes` and
;;; `span` are fixnum handles the expander gives out. Everything else in a syntax object is
;;; ordinary data. These procedures are part of every program, but only mean something while
;;; the expander runs a transformer: elsewhere `free-identifier=?` is #f for any two
;;; identifiers.

(define $identifier-rtd
  (make-record-type-descriptor 'identifier #f #f #t #t
                               '#((immutable name) (immutable scopes) (immutable span))))

(define ($make-identifier name scopes span)
  ($record $identifier-rtd name scopes span))

(define (identifier? x)
  (and ($record? x) (eq? ($record-rtd x) $identifier-rtd)))

(define ($identifier-name id) ($record-ref id 0))
(define ($identifier-scopes id) ($record-ref id 1))
(define ($identifier-span id) ($record-ref id 2))

(define ($check-identifier who x)
  (if (not (identifier? x))
      (assertion-violation who "not an identifier" x)))

(define (bound-identifier=? a b)
  ($check-identifier 'bound-identifier=? a)
  ($check-identifier 'bound-identifier=? b)
  (and (eq? ($identifier-name a) ($identifier-name b))
       (eq? ($identifier-scopes a) ($identifier-scopes b))))

;; Asks the expander, which alone knows the bindings.
(define (free-identifier=? a b)
  ($check-identifier 'free-identifier=? a)
  ($check-identifier 'free-identifier=? b)
  ($expand-service 0 a b))

(define (syntax->datum x)
  (cond ((identifier? x) ($identifier-name x))
        ((pair? x) (cons (syntax->datum (car x)) (syntax->datum (cdr x))))
        ((vector? x) (list->vector (map syntax->datum (vector->list x))))
        (else x)))

;; Symbols in `datum` become identifiers with the scopes and location of `template-id`.
(define (datum->syntax template-id datum)
  ($check-identifier 'datum->syntax template-id)
  (let ((scopes ($identifier-scopes template-id))
        (span ($identifier-span template-id)))
    (let convert ((d datum))
      (cond ((symbol? d) ($make-identifier d scopes span))
            ((pair? d) (cons (convert (car d)) (convert (cdr d))))
            ((vector? d) (list->vector (map convert (vector->list d))))
            (else d)))))

;; Fresh identifiers: names no program can write, with no scopes of their own; the macro
;; use's scope, flipped onto the output, makes them bindable there.
(define $temporary-count 0)

(define (generate-temporaries list)
  (map (lambda (x)
         (set! $temporary-count (+ $temporary-count 1))
         ($make-identifier
          (string->symbol (string-append "t." (number->string $temporary-count)))
          0 0))
       ($syntax->list-or-fail list)))

(define ($syntax->list-or-fail x)
  (cond ((null? x) '())
        ((pair? x) (cons (car x) ($syntax->list-or-fail (cdr x))))
        (else (assertion-violation 'generate-temporaries "not a list" x))))

(define syntax-violation
  (case-lambda
    ((who message form) (syntax-violation who message form #f))
    ((who message form subform)
     (raise (if who
                (condition (make-who-condition who)
                           (make-message-condition message)
                           (make-syntax-violation form subform))
                (condition (make-message-condition message)
                           (make-syntax-violation form subform)))))))

(define $variable-transformer-rtd
  (make-record-type-descriptor 'variable-transformer #f #f #t #t '#((immutable procedure))))

(define (make-variable-transformer procedure)
  ($check-procedure 'make-variable-transformer procedure)
  ($record $variable-transformer-rtd procedure))

;; Called by the expander for each use of a procedural macro. A syntax violation goes to the
;; expander with its form and subform (through the `expand` service, which ends the run);
;; anything else raised goes on as if there were no handler here. What the transformer
;; printed is flushed after it returns: the expand-time world runs no program-end unit.
(define ($call-transformer transformer input assign?)
  (let ((output ($call-transformer-checked transformer input assign?)))
    ($flush-output-ports)
    output))

(define ($call-transformer-checked transformer input assign?)
  (with-exception-handler
   (lambda (c)
     (if (and (condition? c) (syntax-violation? c))
         ($expand-service 1
                          (list (and (who-condition? c) (condition-who c))
                                (if (message-condition? c) (condition-message c) "syntax violation")
                                (syntax-violation-form c)
                                (syntax-violation-subform c))
                          #f))
     (raise-continuable c))
   (lambda ()
     (cond ((and ($record? transformer)
                 (eq? ($record-rtd transformer) $variable-transformer-rtd))
            (($record-ref transformer 0) input))
           ((not (procedure? transformer))
            (syntax-violation #f "a macro's transformer is not a procedure" input))
           (assign?
            (syntax-violation #f "this keyword cannot be assigned" input (cadr input)))
           (else (transformer input))))))

;; Matching a syntax-case pattern (encoded as passes/src/expand/syntax_case.rs describes):
;; the list of the pattern variables' values, or #f.
(define ($syntax-dispatch x pattern literals)
  (let ((found ($match x pattern literals '())))
    (and found (reverse found))))

;; `acc` holds the values found so far, last first.
(define ($match x p literals acc)
  (cond ((eq? p 'any) (cons x acc))
        ((eq? p '_) acc)
        ((null? p) (and (null? x) acc))
        (else
         (let ((kind (vector-ref p 0)))
           (cond ((eq? kind 'pair)
                  (and (pair? x)
                       (let ((acc ($match (car x) (vector-ref p 1) literals acc)))
                         (and acc ($match (cdr x) (vector-ref p 2) literals acc)))))
                 ((eq? kind 'lit)
                  (and (identifier? x)
                       (free-identifier=? x (vector-ref literals (vector-ref p 1)))
                       acc))
                 ((eq? kind 'each) ($match-each x p literals acc))
                 ((eq? kind 'vec)
                  (and (vector? x)
                       ($match (vector->list x) (vector-ref p 1) literals acc)))
                 (else (and (equal? x (vector-ref p 1)) acc)))))))

(define ($pair-count x)
  (let loop ((x x) (n 0))
    (if (pair? x) (loop (cdr x) (+ n 1)) n)))

;; #(each item vars rest min): as many items as leave `min` pairs for `rest`.
(define ($match-each x p literals acc)
  (let ((item (vector-ref p 1))
        (vars (vector-ref p 2))
        (rest (vector-ref p 3))
        (min (vector-ref p 4)))
    (let loop ((x x) (k (- ($pair-count x) min)) (rows '()))
      (cond ((< k 0) #f)
            ((= k 0)
             ($match x rest literals ($columns (reverse rows) vars acc)))
            (else
             (let ((row ($match (car x) item literals '())))
               (and row (loop (cdr x) (- k 1) (cons (reverse row) rows)))))))))

;; Pushes, for each of the `vars` variables, the list of its values in `rows`.
(define ($columns rows vars acc)
  (let loop ((i 0) (acc acc))
    (if (= i vars)
        acc
        (loop (+ i 1) (cons (map (lambda (row) (list-ref row i)) rows) acc)))))
