;;; Records: R6RS's procedural layer ((rnrs records procedural)), its inspection layer, and
;;; define-record-type in both the R6RS and the R7RS form. Part of the base library (see
;;; base-procedures.scm); helpers whose names start with `$` are not exported.
;;;
;;; A record is a heap object (runtime/src/value.rs, HEADER_RECORD) holding its record-type
;;; descriptor (rtd) and its fields, parents' fields first. The internal primitives `$record`,
;;; `$make-record`, `$record?`, `$record-rtd`, `$record-ref` and `$record-set!` do not check
;;; their arguments: everything here checks before it uses them.
;;;
;;; An rtd is itself a record, of the descriptors' type `$rtd-rtd`, with the fields
;;;   0 name (the printer, runtime/src/print.rs, shows it), 1 parent rtd or #f, 2 uid or #f,
;;;   3 sealed?, 4 opaque?, 5 the type's own fields (a vector of (mutable name) and
;;;   (immutable name)), 6 the number of fields with the parents', 7 the constructor
;;;   descriptor define-record-type made for it (#f otherwise).

(define $rtd-rtd
  (let ((rtd ($record #f 'record-type-descriptor #f #f #t #f
                      '#((immutable name) (immutable parent) (immutable uid)
                         (immutable sealed) (immutable opaque) (immutable fields)
                         (immutable field-count) (mutable rcd))
                      8 #f)))
    ;; Field -1 is the record's type slot: the descriptors' type is its own type.
    ($record-set! rtd -1 rtd)
    rtd))

(define ($rtd-name rtd) ($record-ref rtd 0))
(define ($rtd-parent rtd) ($record-ref rtd 1))
(define ($rtd-uid rtd) ($record-ref rtd 2))
(define ($rtd-sealed? rtd) ($record-ref rtd 3))
(define ($rtd-opaque? rtd) ($record-ref rtd 4))
(define ($rtd-fields rtd) ($record-ref rtd 5))
(define ($rtd-field-count rtd) ($record-ref rtd 6))
(define ($rtd-rcd rtd) ($record-ref rtd 7))

;; Records this type's constructor descriptor in the rtd and returns it.
(define ($rtd-install-rcd! rtd rcd)
  ($record-set! rtd 7 rcd)
  rcd)

(define (record-type-descriptor? x)
  (and ($record? x) (eq? ($record-rtd x) $rtd-rtd)))

(define ($check-rtd who x)
  (unless (record-type-descriptor? x)
    (assertion-violation who "not a record-type descriptor" x)))

;; Whether `x` is a record of type `rtd` or of a type below it.
(define ($record-of? x rtd)
  (and ($record? x)
       (let loop ((type ($record-rtd x)))
         (cond ((eq? type rtd) #t)
               ((not type) #f)
               (else (loop ($rtd-parent type)))))))

;;; Record types.

;; The nongenerative types made so far, as an association list from uid to rtd.
(define $nongenerative-types '())

(define (make-record-type-descriptor name parent uid sealed? opaque? fields)
  (define who 'make-record-type-descriptor)
  (unless (symbol? name) (assertion-violation who "not a symbol" name))
  (when parent
    ($check-rtd who parent)
    (when ($rtd-sealed? parent) (assertion-violation who "the parent type is sealed" parent)))
  (unless (or (not uid) (symbol? uid)) (assertion-violation who "not a symbol" uid))
  ($check-vector who fields)
  (vector-for-each
   (lambda (spec)
     (unless (and (list? spec) (= (length spec) 2) (memq (car spec) '(mutable immutable))
                  (symbol? (cadr spec)))
       (assertion-violation who "not a field spec (mutable name) or (immutable name)" spec)))
   fields)
  (let ((known (and uid (assq uid $nongenerative-types))))
    (cond ((not known)
           (let ((rtd ($record $rtd-rtd name parent uid (and sealed? #t)
                               (and (or opaque? (and parent ($rtd-opaque? parent))) #t)
                               (list->vector (vector->list fields))
                               (+ (if parent ($rtd-field-count parent) 0) (vector-length fields))
                               #f)))
             (when uid
               (set! $nongenerative-types (cons (cons uid rtd) $nongenerative-types)))
             rtd))
          ((and (eq? ($rtd-parent (cdr known)) parent)
                (equal? ($rtd-fields (cdr known)) fields)
                (eq? ($rtd-sealed? (cdr known)) (and sealed? #t)))
           (cdr known))
          (else
           (assertion-violation who "a different record type has this uid" uid)))))

;;; Constructor descriptors: records of $rcd-rtd (rtd, parent rcd, protocol).

(define $rcd-rtd
  (make-record-type-descriptor 'record-constructor-descriptor #f #f #t #t
                               '#((immutable rtd) (immutable parent) (immutable protocol))))

(define ($rcd-rtd-of rcd) ($record-ref rcd 0))
(define ($rcd-parent rcd) ($record-ref rcd 1))
(define ($rcd-protocol rcd) ($record-ref rcd 2))

(define ($check-rcd who x)
  (unless ($record-of? x $rcd-rtd)
    (assertion-violation who "not a record-constructor descriptor" x)))

(define (make-record-constructor-descriptor rtd parent-rcd protocol)
  (define who 'make-record-constructor-descriptor)
  ($check-rtd who rtd)
  (when protocol ($check-procedure who protocol))
  (let ((parent ($rtd-parent rtd)))
    (when parent-rcd
      ($check-rcd who parent-rcd)
      (unless (eq? ($rcd-rtd-of parent-rcd) parent)
        (assertion-violation who "the parent descriptor is not of the parent type" parent-rcd)))
    ($record $rcd-rtd rtd
             (or parent-rcd (and parent (make-record-constructor-descriptor parent #f #f)))
             protocol)))

;;; Constructors.

(define ($check-field-count rtd n values)
  (unless (= (length values) n)
    (assertion-violation ($rtd-name rtd) "wrong number of arguments to the record constructor"
                         values)))

;; A record of type `rtd` whose fields are the list `values` (of the right length).
(define ($fields->record rtd values)
  (let ((r ($make-record rtd ($rtd-field-count rtd))))
    (let loop ((i 0) (l values))
      (if (null? l)
          r
          (begin ($record-set! r i (car l)) (loop (+ i 1) (cdr l)))))))

;; The constructor taking every field of `rtd` in order, parents' first, with no list made
;; for the common field counts (the last clause only reports a wrong count).
(define ($fixed-constructor rtd n)
  (define (general . fields) ($check-field-count rtd n fields) ($fields->record rtd fields))
  (case n
    ((0) (case-lambda (() ($record rtd)) (fields (apply general fields))))
    ((1) (case-lambda ((a) ($record rtd a)) (fields (apply general fields))))
    ((2) (case-lambda ((a b) ($record rtd a b)) (fields (apply general fields))))
    ((3) (case-lambda ((a b c) ($record rtd a b c)) (fields (apply general fields))))
    ((4) (case-lambda ((a b c d) ($record rtd a b c d)) (fields (apply general fields))))
    ((5) (case-lambda ((a b c d e) ($record rtd a b c d e)) (fields (apply general fields))))
    (else general)))

;; Whether neither `rcd` nor any of its parents has a protocol.
(define ($default-protocols? rcd)
  (or (not rcd)
      (and (not ($rcd-protocol rcd)) ($default-protocols? ($rcd-parent rcd)))))

(define ($list-head list k)
  (if (= k 0) '() (cons (car list) ($list-head (cdr list) (- k 1)))))

;; The constructor of `rcd` as used to build a record of type `target` (rcd's type or one
;; below it) whose fields after those of rcd's type are `extra`: a procedure taking rcd's
;; constructor arguments, as R6RS's protocols define them.
(define ($protocol-constructor rcd target extra)
  (let* ((rtd ($rcd-rtd-of rcd))
         (own (vector-length ($rtd-fields rtd)))
         (parent-rcd ($rcd-parent rcd))
         (protocol ($rcd-protocol rcd))
         (maker
          (if parent-rcd
              (lambda parent-args
                (lambda fields
                  ($check-field-count rtd own fields)
                  (apply ($protocol-constructor parent-rcd target (append fields extra))
                         parent-args)))
              (lambda fields
                ($check-field-count rtd own fields)
                ($fields->record target (append fields extra))))))
    (cond (protocol (protocol maker))
          (parent-rcd
           ;; The default protocol: every field, the parents' first.
           (let ((inherited ($rtd-field-count ($rcd-rtd-of parent-rcd))))
             (lambda args
               ($check-field-count rtd (+ inherited own) args)
               (apply (apply maker ($list-head args inherited)) (list-tail args inherited)))))
          (else maker))))

(define (record-constructor rcd)
  ($check-rcd 'record-constructor rcd)
  (let ((rtd ($rcd-rtd-of rcd)))
    (if ($default-protocols? rcd)
        ($fixed-constructor rtd ($rtd-field-count rtd))
        ($protocol-constructor rcd rtd '()))))

;; R7RS's constructor taking the fields named `names`, in that order; the others are left
;; unspecified.
(define ($record-constructor/fields rcd names)
  (let* ((rtd ($rcd-rtd-of rcd))
         (n ($rtd-field-count rtd))
         (indexes (map (lambda (name) ($field-index rtd name)) names)))
    (if (equal? indexes (let loop ((i (- n 1)) (acc '())) (if (< i 0) acc (loop (- i 1) (cons i acc)))))
        (record-constructor rcd)
        (let ((k (length indexes)))
          (lambda args
            ($check-field-count rtd k args)
            (let ((r ($make-record rtd n)))
              (for-each (lambda (i v) ($record-set! r i v)) indexes args)
              r))))))

;; The index in the record of the own field of `rtd` named `name`.
(define ($field-index rtd name)
  (let ((fields ($rtd-fields rtd))
        (inherited (- ($rtd-field-count rtd) (vector-length ($rtd-fields rtd)))))
    (let loop ((k 0))
      (cond ((= k (vector-length fields))
             (assertion-violation 'define-record-type "no such field" name))
            ((eq? (cadr (vector-ref fields k)) name) (+ inherited k))
            (else (loop (+ k 1)))))))

;;; Predicates, accessors, mutators.

(define (record-predicate rtd)
  ($check-rtd 'record-predicate rtd)
  (if ($rtd-sealed? rtd)
      (lambda (x) (and ($record? x) (eq? ($record-rtd x) rtd)))
      (lambda (x) ($instance? x rtd))))

;; Whether `x` is a record of type `rtd` or below, the exact type tested first. Written
;; with `if` alone: `or` binds a variable, and a `let` still costs a closure here.
(define ($instance? x rtd)
  (if ($record? x)
      (if (eq? ($record-rtd x) rtd) #t ($record-of? x rtd))
      #f))

;; The index in the record of field `k` of `rtd`'s own fields, checked.
(define ($own-field-index who rtd k)
  ($check-rtd who rtd)
  (let ((own (vector-length ($rtd-fields rtd))))
    (unless (and (fixnum? k) (<= 0 k) (< k own))
      (assertion-violation who "not a field index of the record type" k))
    (+ (- ($rtd-field-count rtd) own) k)))

;; The name `type-field` of field `k`, for errors.
(define ($field-procedure-name rtd k suffix)
  (string->symbol
   (string-append (symbol->string ($rtd-name rtd)) "-"
                  (symbol->string (cadr (vector-ref ($rtd-fields rtd) k))) suffix)))

(define ($record-accessor rtd k who)
  (let ((i ($own-field-index 'record-accessor rtd k)))
    ;; The exact type is tested inline; a subtype, or an error, takes the call.
    (lambda (r)
      (if (if ($record? r) (eq? ($record-rtd r) rtd) #f)
          ($record-ref r i)
          (if ($instance? r rtd)
              ($record-ref r i)
              (assertion-violation who "wrong type argument" r))))))

(define ($record-mutator rtd k who)
  (let ((i ($own-field-index 'record-mutator rtd k)))
    (unless (eq? (car (vector-ref ($rtd-fields rtd) k)) 'mutable)
      (assertion-violation 'record-mutator "the field is immutable" k))
    (lambda (r value)
      (if (if ($record? r) (eq? ($record-rtd r) rtd) #f)
          ($record-set! r i value)
          (if ($instance? r rtd)
              ($record-set! r i value)
              (assertion-violation who "wrong type argument" r))))))

(define (record-accessor rtd k)
  ($own-field-index 'record-accessor rtd k)
  ($record-accessor rtd k ($field-procedure-name rtd k "")))

(define (record-mutator rtd k)
  ($own-field-index 'record-mutator rtd k)
  ($record-mutator rtd k ($field-procedure-name rtd k "-set!")))

;;; Inspection ((rnrs records inspection)).

(define (record? x)
  (and ($record? x) (not ($rtd-opaque? ($record-rtd x)))))

(define (record-rtd r)
  (unless (record? r) (assertion-violation 'record-rtd "not a non-opaque record" r))
  ($record-rtd r))

(define (record-type-name rtd) ($check-rtd 'record-type-name rtd) ($rtd-name rtd))
(define (record-type-parent rtd) ($check-rtd 'record-type-parent rtd) ($rtd-parent rtd))
(define (record-type-uid rtd) ($check-rtd 'record-type-uid rtd) ($rtd-uid rtd))
(define (record-type-generative? rtd)
  ($check-rtd 'record-type-generative? rtd)
  (not ($rtd-uid rtd)))
(define (record-type-sealed? rtd) ($check-rtd 'record-type-sealed? rtd) ($rtd-sealed? rtd))
(define (record-type-opaque? rtd) ($check-rtd 'record-type-opaque? rtd) ($rtd-opaque? rtd))

(define (record-type-field-names rtd)
  ($check-rtd 'record-type-field-names rtd)
  (list->vector (map cadr (vector->list ($rtd-fields rtd)))))

(define (record-field-mutable? rtd k)
  ($own-field-index 'record-field-mutable? rtd k)
  (eq? (car (vector-ref ($rtd-fields rtd) k)) 'mutable))

;;; The syntactic layer. `$record-type-names` (passes/src/expand/records.rs) parses both forms
;;; of define-record-type into the one shape `$define-record-type` takes:
;;;   (name "name" constructor predicate (field ...) parent protocol sealed opaque uid
;;;    constructor-fields)
;;; with each field (name accessor) or (name accessor modifier); parent #f, (parent-name) or
;;; (parent-rtd parent-rcd); uid #f or (uid); constructor-fields #f or R7RS's field names.

(define-syntax define-record-type
  (syntax-rules ()
    ((_ . form) ($record-type-names $define-record-type . form))))

(define-syntax $define-record-type
  (syntax-rules ()
    ((_ name name-string constructor predicate (field ...) parent protocol sealed opaque uid
        constructor-fields)
     (begin
       (define name
         (make-record-type-descriptor (string->symbol name-string) ($parent-rtd parent)
                                      ($record-uid uid) sealed opaque
                                      (vector ($field-spec field) ...)))
       (define rcd
         ($rtd-install-rcd!
          name (make-record-constructor-descriptor name ($parent-rcd parent) protocol)))
       ($define-record-constructor constructor rcd constructor-fields)
       (define predicate (record-predicate name))
       ($define-record-fields name 0 field ...)))))

(define-syntax $parent-rtd
  (syntax-rules ()
    ((_ #f) #f)
    ((_ (parent)) parent)
    ((_ (rtd rcd)) rtd)))

(define-syntax $parent-rcd
  (syntax-rules ()
    ((_ #f) #f)
    ((_ (parent)) ($rtd-rcd parent))
    ((_ (rtd rcd)) rcd)))

(define-syntax $record-uid
  (syntax-rules ()
    ((_ #f) #f)
    ((_ (uid)) 'uid)))

(define-syntax $field-spec
  (syntax-rules ()
    ((_ (name accessor)) '(immutable name))
    ((_ (name accessor modifier)) '(mutable name))))

(define-syntax $define-record-constructor
  (syntax-rules ()
    ((_ #f rcd fields) (begin))
    ((_ constructor rcd #f) (define constructor (record-constructor rcd)))
    ((_ constructor rcd (field ...))
     (define constructor ($record-constructor/fields rcd '(field ...))))))

(define-syntax $define-record-fields
  (syntax-rules ()
    ((_ rtd k) (begin))
    ((_ rtd k (name accessor) field ...)
     (begin
       (define accessor ($record-accessor rtd k 'accessor))
       ($define-record-fields rtd (+ k 1) field ...)))
    ((_ rtd k (name accessor modifier) field ...)
     (begin
       (define accessor ($record-accessor rtd k 'accessor))
       (define modifier ($record-mutator rtd k 'modifier))
       ($define-record-fields rtd (+ k 1) field ...)))))

(define-syntax record-type-descriptor
  (syntax-rules ()
    ((_ name) name)))

(define-syntax record-constructor-descriptor
  (syntax-rules ()
    ((_ name) ($rtd-rcd name))))
