;;; Syntax objects at expand time (see passes/src/expand/phase.rs): identifiers are the vectors
;;; #(tag name scopes span), where `tag` is the unique pair below and `scopes` and `span` are
;;; fixnum handles the expander gives out. Everything else in a syntax object is ordinary
;;; data. These procedures are part of every program, but only mean something while the
;;; expander runs a transformer: elsewhere `free-identifier=?` is #f for any two identifiers.

(define $identifier-tag (list (quote identifier)))

(define ($make-identifier name scopes span)
  (vector $identifier-tag name scopes span))

(define (identifier? x)
  (and (vector? x)
       (= (vector-length x) 4)
       (eq? (vector-ref x 0) $identifier-tag)))

(define ($check-identifier who x)
  (if (not (identifier? x))
      (assertion-violation who "not an identifier" x)))

(define (bound-identifier=? a b)
  ($check-identifier 'bound-identifier=? a)
  ($check-identifier 'bound-identifier=? b)
  (and (eq? (vector-ref a 1) (vector-ref b 1))
       (eq? (vector-ref a 2) (vector-ref b 2))))

;; Asks the expander, which alone knows the bindings.
(define (free-identifier=? a b)
  ($check-identifier 'free-identifier=? a)
  ($check-identifier 'free-identifier=? b)
  ($expand-service 0 a b))

(define (syntax->datum x)
  (cond ((identifier? x) (vector-ref x 1))
        ((pair? x) (cons (syntax->datum (car x)) (syntax->datum (cdr x))))
        ((vector? x) (list->vector (map syntax->datum (vector->list x))))
        (else x)))

;; Symbols in `datum` become identifiers with the scopes and location of `template-id`.
(define (datum->syntax template-id datum)
  ($check-identifier 'datum->syntax template-id)
  (let ((scopes (vector-ref template-id 2))
        (span (vector-ref template-id 3)))
    (let convert ((d datum))
      (cond ((symbol? d) ($make-identifier d scopes span))
            ((pair? d) (cons (convert (car d)) (convert (cdr d))))
            ((and (vector? d) (not (identifier? d)))
             (list->vector (map convert (vector->list d))))
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
       (syntax->list-or-fail list)))

(define (syntax->list-or-fail x)
  (cond ((null? x) '())
        ((pair? x) (cons (car x) (syntax->list-or-fail (cdr x))))
        (else (assertion-violation 'generate-temporaries "not a list" x))))

(define syntax-violation
  (case-lambda
    ((who message form) (syntax-violation who message form #f))
    ((who message form subform)
     ($expand-service 1 (list who message form subform) #f)
     (error (if who who 'syntax-violation) message (syntax->datum form)))))

(define $variable-transformer-tag (list (quote variable-transformer)))

(define (make-variable-transformer proc)
  (vector $variable-transformer-tag proc))

;; Called by the expander for each use of a procedural macro.
(define ($call-transformer transformer input assign?)
  (cond ((and (vector? transformer)
              (= (vector-length transformer) 2)
              (eq? (vector-ref transformer 0) $variable-transformer-tag))
         ((vector-ref transformer 1) input))
        ((not (procedure? transformer))
         (syntax-violation #f "a macro's transformer is not a procedure" input))
        (assign?
         (syntax-violation #f "this keyword cannot be assigned" input (cadr input)))
        (else (transformer input))))

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
                       (not (identifier? x))
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
