;; R7RS define-record-type: constructors taking some fields in any order, modifiers,
;; predicates on other values, and the procedural layer underneath.
(import (scheme base) (scheme write))

(define (show . xs) (for-each display xs) (newline))

(define-record-type <pair-of> (kons a d) kons? (a kar set-kar!) (d kdr))
(define k (kons 1 2))
(show (kar k) " " (kdr k) " " (kons? k) " " (kons? (cons 1 2)) " " (kons? #f))
(set-kar! k 10)
(show (kar k))
(show k)

;; The constructor takes only some of the fields, in another order.
(define-record-type <node> (make-node value next) node? (next node-next set-node-next!)
  (value node-value) (mark node-mark set-node-mark!))
(define n (make-node 'v '()))
(set-node-mark! n #t)
(show (node-value n) " " (node-next n) " " (node-mark n))

;; A list of records, built and walked.
(define (build i) (if (= i 0) '() (make-node i (build (- i 1)))))
(define (sum nodes) (if (null? nodes) 0 (+ (node-value nodes) (sum (node-next nodes)))))
(show (sum (build 100)))

;; Records are distinct from vectors, pairs and procedures.
(show (vector? k) " " (pair? k) " " (procedure? k) " " (eq? k k) " " (equal? (kons 1 2) (kons 1 2)))

;; No constructor.
(define-record-type <opaque> #f opaque? (x opaque-x))
(show (opaque? k))
