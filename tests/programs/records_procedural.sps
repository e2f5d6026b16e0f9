;; The procedural layer of R6RS records, used directly.
(import (rnrs))

(define (show . xs) (for-each display xs) (newline))

(define base (make-record-type-descriptor 'base #f #f #f #f '#((immutable a) (mutable b))))
(define base-rcd (make-record-constructor-descriptor base #f #f))
(define make-base (record-constructor base-rcd))
(define base-a (record-accessor base 0))
(define base-b (record-accessor base 1))
(define set-base-b! (record-mutator base 1))
(define base? (record-predicate base))
(define r (make-base 1 2))
(set-base-b! r 3)
(show (base-a r) " " (base-b r) " " (base? r) " " (base? 'r))

;; A child with a protocol that computes a field.
(define child (make-record-type-descriptor 'child base #f #f #f '#((immutable sum))))
(define child-rcd
  (make-record-constructor-descriptor
   child base-rcd
   (lambda (n) (lambda (a b) ((n a b) (+ a b))))))
(define make-child (record-constructor child-rcd))
(define child-sum (record-accessor child 0))
(define c (make-child 4 5))
(show (base-a c) " " (base-b c) " " (child-sum c) " " (base? c) " " ((record-predicate child) r))
(show (record-type-name (record-rtd c)) " " (eq? (record-type-parent child) base))

;; Many fields go through the general constructor.
(define wide (make-record-type-descriptor 'wide #f #f #f #f
                                          '#((immutable f0) (immutable f1) (immutable f2)
                                             (immutable f3) (immutable f4) (immutable f5)
                                             (immutable f6) (immutable f7))))
(define make-wide (record-constructor (make-record-constructor-descriptor wide #f #f)))
(define w (make-wide 0 1 2 3 4 5 6 7))
(show ((record-accessor wide 7) w) ((record-accessor wide 0) w))
