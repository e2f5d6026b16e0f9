;;; (rnrs hashtables): eq-, eqv- and general hashtables, and the standard hash functions.
;;;
;;; A table is a record of the base library's type `hashtable` (fields below) whose buckets
;;; vector holds chains of nodes, each a vector `#(key value hash next)`.
;;;
;;; Hashing and the moving collector. Keys that can be hashed by content are: fixnums,
;;; characters, booleans and `()` (their words never change), symbols (by name), in eqv-tables
;;; numbers (by value), and in general tables whatever the user's hash function says; such a
;;; node records its hash. Any other key of an eq- or eqv-table (pairs, vectors, strings,
;;; records, procedures...) is hashed by its address (`$object-address`, node hash #f), which
;;; a collection changes. The table remembers the collector's count of collections
;;; (`$collections`) at which those nodes were placed; an operation that finds the count
;;; changed first rehashes them all (`$hashtable-fresh!`). The code between that check and
;;; the use of an address allocates nothing (top-level procedures looping by tail calls,
;;; vector and fixnum operations, `eq?`), but a call can still collect when the Scheme stack
;;; overflows its segment there, so the results that depend on addresses are checked after
;;; the fact: "not found" and "unlinked" count only if the count has not changed meanwhile
;;; (else the operation runs again), and a node linked into a bucket that a collection made
;;; stale is put right by the next operation's rehash, since the table's stamp is then old.
;;; A table with no address-hashed keys never rehashes.

(define $hashtable-rtd
  (make-record-type-descriptor
   'hashtable #f #f #t #t
   '#((mutable buckets) (mutable size) (immutable kind) (immutable hash)
      (immutable equiv) (immutable mutable) (mutable stamp) (mutable address-keys))))

(define-syntax $ht-buckets (syntax-rules () ((_ t) ($record-ref t 0))))
(define-syntax $ht-size (syntax-rules () ((_ t) ($record-ref t 1))))
(define-syntax $ht-kind (syntax-rules () ((_ t) ($record-ref t 2))))
(define-syntax $ht-hash (syntax-rules () ((_ t) ($record-ref t 3))))
(define-syntax $ht-equiv (syntax-rules () ((_ t) ($record-ref t 4))))
(define-syntax $ht-mutable (syntax-rules () ((_ t) ($record-ref t 5))))
(define-syntax $ht-stamp (syntax-rules () ((_ t) ($record-ref t 6))))
(define-syntax $ht-address-keys (syntax-rules () ((_ t) ($record-ref t 7))))

(define (hashtable? x) (and ($record? x) (eq? ($record-rtd x) $hashtable-rtd)))

(define ($check-hashtable who x)
  (unless (hashtable? x) (assertion-violation who "not a hashtable" x)))

(define ($check-mutable who table)
  ($check-hashtable who table)
  (unless ($ht-mutable table) (assertion-violation who "the hashtable is immutable" table)))

;; A bucket count for an expected number of entries: odd, so that addresses (multiples of
;; 8) spread over the buckets.
(define ($bucket-count k)
  (if (< k 8) 7 (+ k (if (even? k) 1 0))))

(define ($make-hashtable who kind hash equiv k)
  (unless (and (exact-integer? k) (>= k 0))
    (assertion-violation who "not a non-negative exact integer" k))
  ($record $hashtable-rtd (make-vector ($bucket-count k) #f) 0 kind hash equiv #t 0 0))

(define make-eq-hashtable
  (case-lambda
    (() (make-eq-hashtable 32))
    ((k) ($make-hashtable 'make-eq-hashtable 'eq #f eq? k))))

(define make-eqv-hashtable
  (case-lambda
    (() (make-eqv-hashtable 32))
    ((k) ($make-hashtable 'make-eqv-hashtable 'eqv #f eqv? k))))

(define make-hashtable
  (case-lambda
    ((hash equiv) (make-hashtable hash equiv 32))
    ((hash equiv k)
     ($check-procedure 'make-hashtable hash)
     ($check-procedure 'make-hashtable equiv)
     ($make-hashtable 'make-hashtable 'general hash equiv k))))

;;; Hash functions.

;; Multiplies and adds, kept in 28 bits so that every step is fixnum arithmetic.
(define ($hash-step h x)
  ($bitwise-and (+ (* h 31) x) #xfffffff))

(define ($string-hash s)
  (let loop ((i 0) (h (string-length s)))
    (if (= i (string-length s))
        h
        (loop (+ i 1) ($hash-step h (char->integer (string-ref s i)))))))

(define (string-hash s)
  ($check-string 'string-hash s)
  ($string-hash s))

(define (string-ci-hash s)
  ($check-string 'string-ci-hash s)
  ($string-hash (string-foldcase s)))

(define (symbol-hash s)
  (unless (symbol? s) (assertion-violation 'symbol-hash "not a symbol" s))
  ($string-hash (symbol->string s)))

;; Numbers by value: eqv numbers print alike.
(define ($number-hash n)
  (if (fixnum? n) n ($string-hash (number->string n))))

;; Consistent with equal?: by content for pairs, vectors, strings, bytevectors, numbers,
;; symbols and characters, looking at a bounded part of a large or cyclic structure; every
;; other object (records, procedures, ...), which equal? compares by identity, hashes to a
;; constant, since its address changes when the collector moves it.
(define (equal-hash x)
  (let hash ((x x) (budget 32))
    (cond ((fixnum? x) x)
          ((char? x) (char->integer x))
          ((symbol? x) ($string-hash (symbol->string x)))
          ((string? x) ($string-hash x))
          ((number? x) ($number-hash x))
          ((<= budget 0) 17)
          ((pair? x)
           ($hash-step (hash (car x) (quotient budget 2)) (hash (cdr x) (- budget 1))))
          ((vector? x)
           (let ((n (vector-length x)))
             (let loop ((i 0) (h n))
               (if (or (= i n) (= i budget))
                   h
                   (loop (+ i 1) ($hash-step h (hash (vector-ref x i) (quotient budget 2))))))))
          ((bytevector? x)
           (let ((n (bytevector-length x)))
             (let loop ((i 0) (h n))
               (if (or (= i n) (= i 64)) h (loop (+ i 1) ($hash-step h (bytevector-u8-ref x i)))))))
          ((boolean? x) (if x 1 2))
          ((null? x) 3)
          (else 19))))

;; The hash of `key` in `table` when it does not depend on the key's address (#f when it
;; does). May allocate (number->string, the user's hash function).
(define ($content-hash table key)
  (let ((kind ($ht-kind table)))
    (cond ((eq? kind 'general)
           (let ((h (($ht-hash table) key)))
             (unless (exact-integer? h)
               (assertion-violation 'hashtable "the hash function returned a non-exact-integer" h))
             (if (fixnum? h) h (modulo h 1152921504606846975))))
          ((or (fixnum? key) (char? key) (boolean? key) (null? key)) ($object-address key))
          ((symbol? key) ($string-hash (symbol->string key)))
          ((and (eq? kind 'eqv) (number? key)) ($number-hash key))
          (else #f))))

;;; The address-hashed part (see the top of the file).

(define ($node-index node n)
  (let ((h (vector-ref node 2)))
    (modulo (if h h ($object-address (vector-ref node 0))) n)))

;; Moves the chain from `node` on into the buckets `new` (of `n` buckets).
(define ($relink-chain! new n node)
  (if node
      (let ((next (vector-ref node 3))
            (i ($node-index node n)))
        (vector-set! node 3 (vector-ref new i))
        (vector-set! new i node)
        ($relink-chain! new n next))
      #t))

(define ($relink-buckets! old new n i)
  (if (< i (vector-length old))
      (begin
        ($relink-chain! new n (vector-ref old i))
        ($relink-buckets! old new n (+ i 1)))
      #t))

;; Rehashes every node into `n` new buckets, stamping the table with the count of
;; collections after the allocation.
(define ($hashtable-rehash! table n)
  (let ((new (make-vector n #f)))
    ($record-set! table 6 ($collections))
    ($relink-buckets! ($ht-buckets table) new n 0)
    ($record-set! table 0 new)))

;; Makes the address-hashed nodes' places current.
(define ($hashtable-fresh! table)
  (unless (or (eq? ($ht-address-keys table) 0) (eq? ($ht-stamp table) ($collections)))
    ($hashtable-rehash! table (vector-length ($ht-buckets table)))
    ($hashtable-fresh! table)))

;; The node of `key`, whose content hash is `h` (or #f), in a chain: compared with `eq?` or
;; `eqv?`, or the table's equivalence (which may allocate, but then the key is
;; content-hashed).
(define ($find-eq node key)
  (cond ((not node) #f)
        ((eq? (vector-ref node 0) key) node)
        (else ($find-eq (vector-ref node 3) key))))

(define ($find-with node key same?)
  (cond ((not node) #f)
        ((same? (vector-ref node 0) key) node)
        (else ($find-with (vector-ref node 3) key same?))))

(define ($hashtable-node table key h)
  (if h
      (let* ((buckets ($ht-buckets table))
             (chain (vector-ref buckets (modulo h (vector-length buckets)))))
        (case ($ht-kind table)
          ((eq) ($find-eq chain key))
          ((eqv) ($find-with chain key eqv?))
          (else ($find-with chain key ($ht-equiv table)))))
      ($address-node table key)))

;; The node of an address-hashed key, or #f when a search with no collection meanwhile did
;; not find it.
(define ($address-node table key)
  ($hashtable-fresh! table)
  (let* ((buckets ($ht-buckets table))
         (node ($find-eq (vector-ref buckets (modulo ($object-address key) (vector-length buckets)))
                         key)))
    (if (or node (eq? ($ht-address-keys table) 0) (eq? ($ht-stamp table) ($collections)))
        node
        ($address-node table key))))

;; Links a new node (the entry is absent).
(define ($hashtable-add! table key value h)
  (let ((node (vector key value h #f)))
    (when (> ($ht-size table) (vector-length ($ht-buckets table)))
      ($hashtable-rehash! table (+ (* 2 (vector-length ($ht-buckets table))) 1)))
    (unless h
      (when (eq? ($ht-address-keys table) 0) ($record-set! table 6 ($collections)))
      ($hashtable-fresh! table)
      ($record-set! table 7 (+ ($ht-address-keys table) 1)))
    (let* ((buckets ($ht-buckets table))
           (i ($node-index node (vector-length buckets))))
      (vector-set! node 3 (vector-ref buckets i))
      (vector-set! buckets i node)
      ($record-set! table 1 (+ ($ht-size table) 1)))))

;; Unlinks `target` from the chain after `previous`; whether it was there.
(define ($unlink-after! previous node target)
  (cond ((not node) #f)
        ((eq? node target) (vector-set! previous 3 (vector-ref node 3)) #t)
        (else ($unlink-after! node (vector-ref node 3) target))))

;; Removes `node`, looking for it again if a collection moved it out of the bucket looked in.
(define ($hashtable-remove! table node)
  ($hashtable-fresh! table)
  (let* ((buckets ($ht-buckets table))
         (i ($node-index node (vector-length buckets)))
         (first (vector-ref buckets i))
         (removed (cond ((eq? first node) (vector-set! buckets i (vector-ref node 3)) #t)
                        (first ($unlink-after! first (vector-ref first 3) node))
                        (else #f))))
    (if removed
        (begin
          ($record-set! table 1 (- ($ht-size table) 1))
          (unless (vector-ref node 2)
            ($record-set! table 7 (- ($ht-address-keys table) 1))))
        ($hashtable-remove! table node))))

;;; The procedures.

(define (hashtable-size table)
  ($check-hashtable 'hashtable-size table)
  ($ht-size table))

(define (hashtable-ref table key default)
  ($check-hashtable 'hashtable-ref table)
  (let ((node ($hashtable-node table key ($content-hash table key))))
    (if node (vector-ref node 1) default)))

(define (hashtable-contains? table key)
  ($check-hashtable 'hashtable-contains? table)
  (and ($hashtable-node table key ($content-hash table key)) #t))

(define (hashtable-set! table key value)
  ($check-mutable 'hashtable-set! table)
  (let* ((h ($content-hash table key))
         (node ($hashtable-node table key h)))
    (if node
        (vector-set! node 1 value)
        ($hashtable-add! table key value h))))

(define (hashtable-delete! table key)
  ($check-mutable 'hashtable-delete! table)
  (let ((node ($hashtable-node table key ($content-hash table key))))
    (when node ($hashtable-remove! table node))))

(define (hashtable-update! table key proc default)
  ($check-mutable 'hashtable-update! table)
  ($check-procedure 'hashtable-update! proc)
  (let* ((h ($content-hash table key))
         (node ($hashtable-node table key h)))
    (if node
        (vector-set! node 1 (proc (vector-ref node 1)))
        ($hashtable-add! table key (proc default) h))))

(define ($hashtable-for-each table f)
  (vector-for-each
   (lambda (chain)
     (let loop ((node chain))
       (when node
         (f node)
         (loop (vector-ref node 3)))))
   ($ht-buckets table)))

(define hashtable-copy
  (case-lambda
    ((table) (hashtable-copy table #f))
    ((table mutable)
     ($check-hashtable 'hashtable-copy table)
     (let ((copy ($record $hashtable-rtd (make-vector (vector-length ($ht-buckets table)) #f)
                          0 ($ht-kind table) ($ht-hash table) ($ht-equiv table) #t 0 0)))
       ($hashtable-for-each
        table
        (lambda (node)
          ($hashtable-add! copy (vector-ref node 0) (vector-ref node 1) (vector-ref node 2))))
       ($record-set! copy 5 (and mutable #t))
       copy))))

(define hashtable-clear!
  (case-lambda
    ((table) (hashtable-clear! table 32))
    ((table k)
     ($check-mutable 'hashtable-clear! table)
     ($record-set! table 0 (make-vector ($bucket-count k) #f))
     ($record-set! table 1 0)
     ($record-set! table 7 0))))

(define (hashtable-keys table)
  ($check-hashtable 'hashtable-keys table)
  (let ((keys (make-vector ($ht-size table) #f))
        (i 0))
    ($hashtable-for-each table (lambda (node)
                                 (vector-set! keys i (vector-ref node 0))
                                 (set! i (+ i 1))))
    keys))

(define (hashtable-entries table)
  ($check-hashtable 'hashtable-entries table)
  (let ((keys (make-vector ($ht-size table) #f))
        (vals (make-vector ($ht-size table) #f))
        (i 0))
    ($hashtable-for-each table (lambda (node)
                                 (vector-set! keys i (vector-ref node 0))
                                 (vector-set! vals i (vector-ref node 1))
                                 (set! i (+ i 1))))
    (values keys vals)))

(define (hashtable-equivalence-function table)
  ($check-hashtable 'hashtable-equivalence-function table)
  ($ht-equiv table))

(define (hashtable-hash-function table)
  ($check-hashtable 'hashtable-hash-function table)
  ($ht-hash table))

(define (hashtable-mutable? table)
  ($check-hashtable 'hashtable-mutable? table)
  ($ht-mutable table))
