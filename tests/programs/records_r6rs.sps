;; R6RS define-record-type: default and explicit names, mutable and immutable fields,
;; inheritance, protocols, sealed and opaque types, nongenerative uids, and inspection.
(import (rnrs))

(define (show . xs) (for-each display xs) (newline))

;; Default names: make-point, point?, point-x, point-y, point-y-set!.
(define-record-type point (fields x (mutable y)))
(define p (make-point 1 2))
(show (point-x p) " " (point-y p))
(point-y-set! p 20)
(show (point-y p))
(show (point? p) " " (point? 5) " " (point? '(1 2)) " " (point? (vector 1 2)))
(show p)

;; Explicit names and field specs.
(define-record-type (circle new-circle is-circle?)
  (fields (immutable radius circle-radius)
          (mutable color circle-color paint!)))
(define c (new-circle 3 'red))
(paint! c 'blue)
(show (circle-radius c) " " (circle-color c) " " (is-circle? c) " " (is-circle? p))

;; Inheritance: a child's constructor takes the parent's fields first; parent accessors
;; and predicates accept the child.
(define-record-type point3 (parent point) (fields z))
(define q (make-point3 1 2 3))
(show (point-x q) " " (point-y q) " " (point3-z q))
(show (point? q) " " (point3? q) " " (point3? p))
(point-y-set! q 7)
(show (point-y q))

;; Protocols: a constructor with defaults, and a child protocol calling the parent's.
(define-record-type (account make-account account?)
  (fields owner (mutable balance))
  (protocol (lambda (new) (lambda (owner) (new owner 0)))))
(define-record-type (savings make-savings savings?)
  (parent account)
  (fields rate)
  (protocol (lambda (n) (lambda (owner rate) ((n owner) rate)))))
(define a (make-savings 'ann 5))
(account-balance-set! a 100)
(show (account-owner a) " " (account-balance a) " " (savings-rate a) " " (account? a))

;; Three levels with default protocols.
(define-record-type a1 (fields f1))
(define-record-type a2 (parent a1) (fields f2))
(define-record-type a3 (parent a2) (fields f3 f4))
(define x (make-a3 1 2 3 4))
(show (a1-f1 x) (a2-f2 x) (a3-f3 x) (a3-f4 x) " " (a1? x) (a2? x) (a3? x))

;; Sealed and opaque types; nongenerative types with the same uid are the same type.
(define-record-type leaf (sealed #t) (opaque #t) (fields v))
(define l (make-leaf 'v))
(show (leaf-v l) " " (record? l) " " (record? p) " " (record? 5))
(define-record-type thing (nongenerative thing-uid-1) (fields a))
(show (record-type-uid (record-type-descriptor thing)) " "
      (record-type-generative? (record-type-descriptor thing)) " "
      (record-type-generative? (record-type-descriptor point)))

;; Inspection.
(define rtd (record-rtd q))
(show (record-type-name rtd) " " (record-type-name (record-type-parent rtd)) " "
      (record-type-field-names rtd) " " (record-type-field-names (record-type-parent rtd)))
(show (record-field-mutable? (record-type-descriptor point) 0) " "
      (record-field-mutable? (record-type-descriptor point) 1) " "
      (record-type-sealed? (record-type-descriptor leaf)) " "
      (record-type-opaque? (record-type-descriptor leaf)) " "
      (record-type-descriptor? rtd) " " (record-type-descriptor? p))
(write (list p (record-type-descriptor point)))
(newline)
