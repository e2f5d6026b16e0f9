;;; The list, string, vector and bytevector procedures of R7RS (scheme base) and R6RS
;;; (rnrs bytevectors) that are not primitives, over the primitive accessors. R7RS optional
;;; `start`/`end` arguments default to the whole sequence. Wrong arguments raise assertion
;;; violations naming the procedure.
;;;
;;; Not here: `bytevector-copy!`. R6RS `(bytevector-copy! source source-start target
;;; target-start k)` and R7RS `(bytevector-copy! to at from [start end])` share the name in the
;;; one base library, and a five-argument call cannot tell them apart.

;; The `start`/`end` of an R7RS optional range over a sequence of length `len`, as a pair,
;; checked 0 <= start <= end <= len.
(define ($range who len range)
  (let ((start (if (pair? range) (car range) 0))
        (end (if (and (pair? range) (pair? (cdr range))) (cadr range) len)))
    (unless (and (exact-integer? start) (exact-integer? end) (<= 0 start end len)
                 (or (null? range) (null? (cdr range)) (null? (cddr range))))
      (assertion-violation who "invalid range" range))
    (cons start end)))

;; Copies elements [start, end) of `from` into `to` at `at` with `ref`/`store!`, backward when
;; the ranges may overlap in that direction; checks that they fit.
(define ($copy! who ref store! to-length to at from start end)
  (unless (and (exact-integer? at) (<= 0 at) (<= (+ at (- end start)) to-length))
    (assertion-violation who "destination range out of bounds" at))
  (if (<= at start)
      (do ((i start (+ i 1)))
          ((= i end))
        (store! to (+ at (- i start)) (ref from i)))
      (do ((i (- end 1) (- i 1)))
          ((< i start))
        (store! to (+ at (- i start)) (ref from i)))))

;; A new sequence, made by `make`, of the elements [start, end) of `from` (the R7RS optional
;; range over its `len` elements), read with `ref` and stored with `store!`.
(define ($copy-range who make ref store! from len range)
  (let* ((r ($range who len range))
         (n (- (cdr r) (car r)))
         (result (make n)))
    ($copy! who ref store! n result 0 from (car r) (cdr r))
    result))

;;; Lists and numbers.

(define (square z)
  ($check-number 'square z)
  (* z z))

(define make-list
  (case-lambda
    ((k) (make-list k (if #f #f)))
    ((k fill)
     (unless (and (exact-integer? k) (>= k 0))
       (assertion-violation 'make-list "not a non-negative exact integer" k))
     (let loop ((i 0) (acc '()))
       (if (= i k) acc (loop (+ i 1) (cons fill acc)))))))

(define (list-set! list k obj)
  ($check-integer 'list-set! k)
  (let loop ((l list) (i k))
    (cond ((not (pair? l)) (assertion-violation 'list-set! "index out of range" list k))
          ((= i 0) (set-car! l obj))
          (else (loop (cdr l) (- i 1))))))

;;; Strings.

;; R7RS: applies `proc` element-wise to the strings, up to the shortest; a string of the results.
(define (string-map proc s . ss)
  ($check-procedure 'string-map proc)
  (for-each (lambda (s) ($check-string 'string-map s)) (cons s ss))
  (list->string (apply map proc (string->list s) (map string->list ss))))

(define (string-copy! to at from . range)
  ($check-string 'string-copy! to)
  ($check-string 'string-copy! from)
  (let ((r ($range 'string-copy! (string-length from) range)))
    ($copy! 'string-copy! string-ref string-set! (string-length to) to at from (car r) (cdr r))))

(define (string-fill! s fill . range)
  ($check-string 'string-fill! s)
  ($check-char 'string-fill! fill)
  (let ((r ($range 'string-fill! (string-length s) range)))
    (do ((i (car r) (+ i 1)))
        ((= i (cdr r)))
      (string-set! s i fill))))

(define (string->vector s . range)
  ($check-string 'string->vector s)
  ($copy-range 'string->vector make-vector string-ref vector-set! s (string-length s) range))

(define (vector->string v . range)
  ($check-vector 'vector->string v)
  ($copy-range 'vector->string make-string
               (lambda (v i)
                 (let ((c (vector-ref v i)))
                   ($check-char 'vector->string c)
                   c))
               string-set! v (vector-length v) range))

;;; Vectors.

(define (vector-append . vectors)
  (for-each (lambda (v) ($check-vector 'vector-append v)) vectors)
  ($append make-vector vector-length vector-ref vector-set! vectors))

(define (vector-copy v . range)
  ($check-vector 'vector-copy v)
  ($copy-range 'vector-copy make-vector vector-ref vector-set! v (vector-length v) range))

(define (vector-copy! to at from . range)
  ($check-vector 'vector-copy! to)
  ($check-vector 'vector-copy! from)
  (let ((r ($range 'vector-copy! (vector-length from) range)))
    ($copy! 'vector-copy! vector-ref vector-set! (vector-length to) to at from (car r) (cdr r))))

;;; Bytevectors.

(define ($check-bytevector who x)
  (unless (bytevector? x) (assertion-violation who "not a bytevector" x)))

(define (bytevector . bytes)
  (let ((result (make-bytevector (length bytes))))
    (let loop ((i 0) (l bytes))
      (if (null? l)
          result
          (begin
            (bytevector-u8-set! result i (car l))
            (loop (+ i 1) (cdr l)))))))

(define (bytevector-append . bytevectors)
  (for-each (lambda (b) ($check-bytevector 'bytevector-append b)) bytevectors)
  ($append make-bytevector bytevector-length bytevector-u8-ref bytevector-u8-set! bytevectors))

;; R6RS (bytevector-copy bv) and R7RS (bytevector-copy bv [start end]) agree.
(define (bytevector-copy b . range)
  ($check-bytevector 'bytevector-copy b)
  ($copy-range 'bytevector-copy make-bytevector bytevector-u8-ref bytevector-u8-set!
               b (bytevector-length b) range))

(define (bytevector=? a b)
  ($check-bytevector 'bytevector=? a)
  ($check-bytevector 'bytevector=? b)
  (and (= (bytevector-length a) (bytevector-length b))
       (let loop ((i 0))
         (or (= i (bytevector-length a))
             (and (= (bytevector-u8-ref a i) (bytevector-u8-ref b i))
                  (loop (+ i 1)))))))

;; R6RS: `fill` is an octet or a signed byte (-128 to 255); negative ones are stored in
;; two's complement.
(define (bytevector-fill! b fill)
  ($check-bytevector 'bytevector-fill! b)
  (unless (and (exact-integer? fill) (<= -128 fill 255))
    (assertion-violation 'bytevector-fill! "not a byte" fill))
  (let ((octet (if (< fill 0) (+ fill 256) fill)))
    (do ((i 0 (+ i 1)))
        ((= i (bytevector-length b)))
      (bytevector-u8-set! b i octet))))

(define (bytevector->u8-list b)
  ($check-bytevector 'bytevector->u8-list b)
  (let loop ((i (- (bytevector-length b) 1)) (acc '()))
    (if (< i 0) acc (loop (- i 1) (cons (bytevector-u8-ref b i) acc)))))

(define (u8-list->bytevector list)
  ($check-list 'u8-list->bytevector list)
  (apply bytevector list))
