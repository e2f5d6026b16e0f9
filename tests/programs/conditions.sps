;; R6RS conditions: simple and compound conditions, the standard types' predicates and
;; accessors, define-condition-type, and R7RS's error-object procedures.
(import (rnrs) (only (scheme base) error-object? error-object-message error-object-irritants file-error? read-error?))

(define (show . xs) (for-each display xs) (newline))

(define c (condition (make-error) (make-who-condition 'parse)
                     (make-message-condition "bad token") (make-irritants-condition '(1 2))))
(show (condition? c) " " (error? c) " " (serious-condition? c) " " (violation? c) " "
      (assertion-violation? c))
(show (condition-who c) " " (condition-message c) " " (condition-irritants c))
(show (length (simple-conditions c)) " " (map (lambda (s) (record-type-name (record-rtd s)))
                                              (simple-conditions c)))
(show (who-condition? (make-message-condition "m")) " " (message-condition? (make-message-condition "m")))
(show (condition? 5) " " (condition? (make-warning)) " " (warning? (make-warning)) " "
      (error? (make-warning)))

;; A compound of compounds flattens.
(define both (condition c (make-warning)))
(show (length (simple-conditions both)) " " (warning? both) " " (error? both))

;; Assertion violations are violations and serious; the hierarchy is the standard one.
(define av (make-assertion-violation))
(show (assertion-violation? av) (violation? av) (serious-condition? av) (error? av))
(show (non-continuable-violation? (make-non-continuable-violation))
      (implementation-restriction-violation? (make-implementation-restriction-violation))
      (undefined-violation? (make-undefined-violation))
      (lexical-violation? (make-lexical-violation)))
(define sv (make-syntax-violation '(if) 'if))
(show (syntax-violation? sv) " " (syntax-violation-form sv) " " (syntax-violation-subform sv))

;; A new condition type with fields, below &error.
(define-condition-type &http &error make-http-error http-error?
  (status http-status)
  (url http-url))
(define h (condition (make-http-error 404 "/x") (make-message-condition "not found")))
(show (http-error? h) " " (error? h) " " (http-status h) " " (http-url h) " "
      (http-error? c) " " (http-error? 'x))
;; A subtype of it whose constructor takes the inherited fields first.
(define-condition-type &http-redirect &http make-http-redirect http-redirect?
  (location http-location))
(define r (make-http-redirect 301 "/old" "/new"))
(show (http-error? r) " " (http-redirect? r) " " (http-status r) " " (http-location r))

;; condition-predicate and condition-accessor on a record type.
(define status-of (condition-accessor &http (lambda (s) (http-status s))))
(show (status-of h) " " ((condition-predicate &message) h))

;; R7RS error objects.
(show (error-object? c) " " (error-object-message c) " " (error-object-irritants c) " "
      (error-object? 'x) " " (error-object-message (make-warning)) " "
      (error-object-irritants (make-warning)))
(show (file-error? (make-i/o-file-does-not-exist-error "f")) " " (file-error? c) " "
      (read-error? (make-i/o-read-error)) " " (read-error? c) " "
      (i/o-error-filename (make-i/o-file-does-not-exist-error "f")))
