;;; The procedures of (rnrs base), (rnrs lists) and R7RS (scheme base) that are not primitives
;;; (ir/src/primitive.rs), written in Scheme over the primitives and the derived forms of
;;; base.scm. Embedded in loko and compiled into every program as the unit `(loko base)`; each
;;; definition is a global `$base::name`. Helpers whose names start with `$` are not exported.
;;;
;;; Errors follow R6RS: a wrong argument raises an assertion violation naming the procedure.

;;; Type checks.

(define ($check-list who x)
  (unless (list? x) (assertion-violation who "not a proper list" x)))

(define ($check-integer who x)
  (unless (integer? x) (assertion-violation who "not an integer" x)))

(define ($check-number who x)
  (unless (number? x) (assertion-violation who "not a number" x)))

(define ($check-char who x)
  (unless (char? x) (assertion-violation who "not a character" x)))

(define ($check-string who x)
  (unless (string? x) (assertion-violation who "not a string" x)))

(define ($check-vector who x)
  (unless (vector? x) (assertion-violation who "not a vector" x)))

(define ($check-procedure who x)
  (unless (procedure? x) (assertion-violation who "not a procedure" x)))

;;; Pairs and lists.

(define (caar x) (car (car x)))
(define (cadr x) (car (cdr x)))
(define (cdar x) (cdr (car x)))
(define (cddr x) (cdr (cdr x)))
(define (caaar x) (car (car (car x))))
(define (caadr x) (car (car (cdr x))))
(define (cadar x) (car (cdr (car x))))
(define (caddr x) (car (cdr (cdr x))))
(define (cdaar x) (cdr (car (car x))))
(define (cdadr x) (cdr (car (cdr x))))
(define (cddar x) (cdr (cdr (car x))))
(define (cdddr x) (cdr (cdr (cdr x))))
(define (cadddr x) (car (cdr (cdr (cdr x)))))
(define (cddddr x) (cdr (cdr (cdr (cdr x)))))

;; Whether `x` is a proper list: finite and ending in (). Cycles are found by a pointer
;; moving at half speed.
(define (list? x)
  (let loop ((fast x) (slow x))
    (cond ((null? fast) #t)
          ((not (pair? fast)) #f)
          (else
           (let ((fast (cdr fast)))
             (cond ((null? fast) #t)
                   ((not (pair? fast)) #f)
                   (else
                    (let ((fast (cdr fast)) (slow (cdr slow)))
                      (and (not (eq? fast slow)) (loop fast slow))))))))))

(define (length list)
  ($check-list 'length list)
  (let loop ((l list) (n 0))
    (if (null? l) n (loop (cdr l) (+ n 1)))))

(define (reverse list)
  ($check-list 'reverse list)
  (let loop ((l list) (acc '()))
    (if (null? l) acc (loop (cdr l) (cons (car l) acc)))))

(define (list-tail list k)
  ($check-integer 'list-tail k)
  (let loop ((l list) (i k))
    (cond ((= i 0) l)
          ((pair? l) (loop (cdr l) (- i 1)))
          (else (assertion-violation 'list-tail "index out of range" list k)))))

(define (list-ref list k)
  ($check-integer 'list-ref k)
  (let loop ((l list) (i k))
    (cond ((not (pair? l)) (assertion-violation 'list-ref "index out of range" list k))
          ((= i 0) (car l))
          (else (loop (cdr l) (- i 1))))))

(define (list-copy list)
  (let loop ((l list) (acc '()))
    (if (pair? l)
        (loop (cdr l) (cons (car l) acc))
        (let build ((acc acc) (result l))
          (if (null? acc) result (build (cdr acc) (cons (car acc) result)))))))

;; The first pair of `list` whose car is `same?` to `x`, or #f.
(define ($member who same? x list)
  (let loop ((l list))
    (cond ((pair? l) (if (same? x (car l)) l (loop (cdr l))))
          ((null? l) #f)
          (else (assertion-violation who "not a proper list" list)))))

(define (memq x list) ($member 'memq eq? x list))
(define (memv x list) ($member 'memv eqv? x list))
(define member
  (case-lambda
    ((x list) ($member 'member equal? x list))
    ((x list same?) ($member 'member same? x list))))

;; The first pair of `alist` whose car is `same?` to `x`, or #f.
(define ($assoc who same? x alist)
  (let loop ((l alist))
    (cond ((pair? l)
           (let ((entry (car l)))
             (unless (pair? entry) (assertion-violation who "not a pair" entry))
             (if (same? x (car entry)) entry (loop (cdr l)))))
          ((null? l) #f)
          (else (assertion-violation who "not a proper list" alist)))))

(define (assq x alist) ($assoc 'assq eq? x alist))
(define (assv x alist) ($assoc 'assv eqv? x alist))
(define assoc
  (case-lambda
    ((x alist) ($assoc 'assoc equal? x alist))
    ((x alist same?) ($assoc 'assoc same? x alist))))

;; The cars of `lists` and their cdrs, as two lists; #f when one of them is empty.
(define ($cars+cdrs lists)
  (let loop ((ls lists) (cars '()) (cdrs '()))
    (cond ((null? ls) (cons (reverse cars) (reverse cdrs)))
          ((pair? (car ls)) (loop (cdr ls) (cons (caar ls) cars) (cons (cdar ls) cdrs)))
          (else #f))))

;; Applies `f` element-wise; with several lists, stops at the end of the shortest.
(define map
  (case-lambda
    ((f list)
     ($check-procedure 'map f)
     ($check-list 'map list)
     (let loop ((l list) (acc '()))
       (if (null? l) (reverse acc) (loop (cdr l) (cons (f (car l)) acc)))))
    ((f list . lists)
     ($check-procedure 'map f)
     (for-each (lambda (l) ($check-list 'map l)) (cons list lists))
     (let loop ((ls (cons list lists)) (acc '()))
       (let ((split ($cars+cdrs ls)))
         (if split
             (loop (cdr split) (cons (apply f (car split)) acc))
             (reverse acc)))))))

(define for-each
  (case-lambda
    ((f list)
     ($check-procedure 'for-each f)
     ($check-list 'for-each list)
     (let loop ((l list))
       (unless (null? l) (f (car l)) (loop (cdr l)))))
    ((f list . lists)
     ($check-procedure 'for-each f)
     ($check-list 'for-each list)
     (for-each (lambda (l) ($check-list 'for-each l)) lists)
     (let loop ((ls (cons list lists)))
       (let ((split ($cars+cdrs ls)))
         (when split (apply f (car split)) (loop (cdr split))))))))

(define (filter keep? list)
  ($check-list 'filter list)
  (let loop ((l list) (acc '()))
    (cond ((null? l) (reverse acc))
          ((keep? (car l)) (loop (cdr l) (cons (car l) acc)))
          (else (loop (cdr l) acc)))))

(define (fold-left combine nil list)
  ($check-list 'fold-left list)
  (let loop ((acc nil) (l list))
    (if (null? l) acc (loop (combine acc (car l)) (cdr l)))))

(define (fold-right combine nil list)
  ($check-list 'fold-right list)
  (let loop ((acc nil) (l (reverse list)))
    (if (null? l) acc (loop (combine (car l) acc) (cdr l)))))

;;; Numbers. The arithmetic itself is primitive (generic over the whole tower); these are
;;; built on it.

(define (abs x)
  ($check-number 'abs x)
  (if (< x 0) (- x) x))

(define (even? n)
  ($check-integer 'even? n)
  (= (remainder n 2) 0))

(define (odd? n)
  ($check-integer 'odd? n)
  (not (= (remainder n 2) 0)))

(define (positive? x) ($check-number 'positive? x) (> x 0))
(define (negative? x) ($check-number 'negative? x) (< x 0))

;; The largest (smallest) of the arguments; inexact if any argument is (R6RS 11.7.4.3).
(define ($extremum who better? x xs)
  ($check-number who x)
  (let loop ((m x) (xs xs) (inexact-seen (inexact? x)))
    (cond ((null? xs) (if inexact-seen (inexact m) m))
          (else ($check-number who (car xs))
                (loop (if (better? (car xs) m) (car xs) m)
                      (cdr xs)
                      (or inexact-seen (inexact? (car xs))))))))

(define (max x . xs) ($extremum 'max > x xs))
(define (min x . xs) ($extremum 'min < x xs))

(define (gcd . ns)
  (let loop ((g 0) (ns ns))
    (if (null? ns)
        g
        (begin
          ($check-integer 'gcd (car ns))
          (loop (let euclid ((a (abs g)) (b (abs (car ns))))
                  (if (= b 0) a (euclid b (remainder a b))))
                (cdr ns))))))

(define (lcm . ns)
  (let loop ((l 1) (ns ns))
    (cond ((null? ns) l)
          ((= (car ns) 0) 0)
          (else (let ((n (abs (car ns))))
                  (loop (* (quotient l (gcd l n)) n) (cdr ns)))))))

;; R6RS div and mod: x = y (div x y) + (mod x y) with 0 <= (mod x y) < |y|; div0 and mod0
;; center the remainder instead: -|y|/2 <= (mod0 x y) < |y|/2.
(define (div x y)
  ($check-number 'div x)
  ($check-number 'div y)
  (if (and (exact-integer? x) (exact-integer? y))
      (let ((q (quotient x y)) (r (remainder x y)))
        (if (< r 0) (if (> y 0) (- q 1) (+ q 1)) q))
      (if (> y 0) (floor (/ x y)) (ceiling (/ x y)))))

(define (mod x y) (- x (* (div x y) y)))

(define (div-and-mod x y)
  (let ((d (div x y)))
    (values d (- x (* d y)))))

(define (div0 x y)
  (let* ((d (div x y)) (m (- x (* d y))))
    (cond ((< m (/ (abs y) 2)) d)
          ((> y 0) (+ d 1))
          (else (- d 1)))))

(define (mod0 x y) (- x (* (div0 x y) y)))

(define (div0-and-mod0 x y)
  (let ((d (div0 x y)))
    (values d (- x (* d y)))))

;; The largest s with s^2 <= n, and n - s^2. The flonum square root gives a start within a few
;; units when n is below the double range; beyond it Newton's iteration starts from n.
(define (exact-integer-sqrt n)
  (unless (and (exact-integer? n) (>= n 0))
    (assertion-violation 'exact-integer-sqrt "not a non-negative exact integer" n))
  (let* ((root (sqrt n))
         (start (if (and (inexact? root) (finite? root)) (exact (floor root)) n))
         (s (if (exact? root)
                root
                (let newton ((x start))
                  (let ((y (quotient (+ x (quotient n x)) 2)))
                    (if (>= y x)
                        (let adjust ((x x))
                          (cond ((> (* x x) n) (adjust (- x 1)))
                                ((<= (* (+ x 1) (+ x 1)) n) (adjust (+ x 1)))
                                (else x)))
                        (newton y)))))))
    (values s (- n (* s s)))))

;; R7RS integer division: floor/ rounds the quotient toward negative infinity (the remainder
;; takes the divisor's sign), truncate/ toward zero (the remainder takes the dividend's).
(define (floor-quotient n d)
  (let ((q (quotient n d)))
    (if (and (not (zero? (remainder n d))) (not (eq? (negative? n) (negative? d))))
        (- q 1)
        q)))
(define (floor-remainder n d) (modulo n d))
(define (floor/ n d) (values (floor-quotient n d) (floor-remainder n d)))
(define (truncate-quotient n d) (quotient n d))
(define (truncate-remainder n d) (remainder n d))
(define (truncate/ n d) (values (quotient n d) (remainder n d)))

(define (integer-valued? x) (integer? x))
(define (rational-valued? x) (rational? x))
(define (real-valued? x) (real? x))

;;; Booleans, symbols and characters.

(define (boolean=? a b . rest)
  (let loop ((a a) (b b) (rest rest))
    (unless (boolean? a) (assertion-violation 'boolean=? "not a boolean" a))
    (unless (boolean? b) (assertion-violation 'boolean=? "not a boolean" b))
    (and (eq? a b) (or (null? rest) (loop b (car rest) (cdr rest))))))

(define (symbol=? a b . rest)
  (let loop ((a a) (b b) (rest rest))
    (unless (symbol? a) (assertion-violation 'symbol=? "not a symbol" a))
    (unless (symbol? b) (assertion-violation 'symbol=? "not a symbol" b))
    (and (eq? a b) (or (null? rest) (loop b (car rest) (cdr rest))))))

;; A variadic character comparison from `compare` on scalar values; every argument is checked.
(define ($char-compare who compare)
  (lambda (a b . rest)
    (let loop ((a a) (b b) (rest rest) (result #t))
      ($check-char who a)
      ($check-char who b)
      (let ((result (and result (compare (char->integer a) (char->integer b)))))
        (if (null? rest) result (loop b (car rest) (cdr rest) result))))))

(define char=? ($char-compare 'char=? =))
(define char<? ($char-compare 'char<? <))
(define char>? ($char-compare 'char>? >))
(define char<=? ($char-compare 'char<=? <=))
(define char>=? ($char-compare 'char>=? >=))

;;; Strings.

(define (string . chars)
  (for-each (lambda (c) ($check-char 'string c)) chars)
  (list->string chars))

(define (list->string chars)
  ($check-list 'list->string chars)
  (let ((s (make-string (length chars))))
    (let loop ((i 0) (l chars))
      (if (null? l)
          s
          (begin
            ($check-char 'list->string (car l))
            (string-set! s i (car l))
            (loop (+ i 1) (cdr l)))))))

(define (string->list s)
  ($check-string 'string->list s)
  (let loop ((i (- (string-length s) 1)) (acc '()))
    (if (< i 0) acc (loop (- i 1) (cons (string-ref s i) acc)))))

(define (substring s start end)
  ($check-string 'substring s)
  (unless (and (integer? start) (integer? end) (<= 0 start end (string-length s)))
    (assertion-violation 'substring "invalid range" start end))
  (let ((result (make-string (- end start))))
    (do ((i start (+ i 1)))
        ((= i end) result)
      (string-set! result (- i start) (string-ref s i)))))

(define (string-copy s)
  ($check-string 'string-copy s)
  (substring s 0 (string-length s)))

;; A new sequence holding the elements of `sequences` one after another, for the `*-append`
;; procedures: `make` makes one of a length, `size`, `ref` and `store!` are its kind's accessors.
(define ($append make size ref store! sequences)
  (let ((result (make (fold-left (lambda (n s) (+ n (size s))) 0 sequences))))
    (let loop ((sequences sequences) (at 0))
      (if (null? sequences)
          result
          (let ((s (car sequences)))
            (do ((i 0 (+ i 1)))
                ((= i (size s)) (loop (cdr sequences) (+ at i)))
              (store! result (+ at i) (ref s i))))))))

(define (string-append . strings)
  (for-each (lambda (s) ($check-string 'string-append s)) strings)
  ($append make-string string-length string-ref string-set! strings))

(define (string-for-each f s)
  ($check-string 'string-for-each s)
  (do ((i 0 (+ i 1)))
      ((= i (string-length s)))
    (f (string-ref s i))))

;; Whether `a` and `b` compare as `compare` says (one of <, = or >, on the first difference).
(define ($string-compare who compare)
  (lambda (a b . rest)
    (let loop ((a a) (b b) (rest rest) (result #t))
      ($check-string who a)
      ($check-string who b)
      (let* ((la (string-length a))
             (lb (string-length b))
             (order (let scan ((i 0))
                      (cond ((and (= i la) (= i lb)) 0)
                            ((= i la) -1)
                            ((= i lb) 1)
                            (else
                             (let ((ca (char->integer (string-ref a i)))
                                   (cb (char->integer (string-ref b i))))
                               (cond ((< ca cb) -1)
                                     ((> ca cb) 1)
                                     (else (scan (+ i 1))))))))))
        (let ((result (and result (compare order 0))))
          (if (null? rest) result (loop b (car rest) (cdr rest) result)))))))

(define string=? ($string-compare 'string=? =))
(define string<? ($string-compare 'string<? <))
(define string>? ($string-compare 'string>? >))
(define string<=? ($string-compare 'string<=? <=))
(define string>=? ($string-compare 'string>=? >=))

;;; Vectors.

(define (vector->list v)
  ($check-vector 'vector->list v)
  (let loop ((i (- (vector-length v) 1)) (acc '()))
    (if (< i 0) acc (loop (- i 1) (cons (vector-ref v i) acc)))))

;; R6RS (vector-fill! v x); R7RS adds an optional range (`$range`, sequences.scm).
(define (vector-fill! v x . range)
  ($check-vector 'vector-fill! v)
  (let ((r ($range 'vector-fill! (vector-length v) range)))
    (do ((i (car r) (+ i 1)))
        ((= i (cdr r)))
      (vector-set! v i x))))

(define (vector-map f v . vs)
  ($check-vector 'vector-map v)
  (list->vector (apply map f (vector->list v) (map vector->list vs))))

(define (vector-for-each f v . vs)
  ($check-vector 'vector-for-each v)
  (apply for-each f (vector->list v) (map vector->list vs)))

;;; Control: continuations, dynamic-wind, parameters. The primitive $call/cc captures the
;;; frames into a continuation, a procedure that reinstates them (backend/src/codegen/control.rs);
;;; the dynamic-wind entries in force, innermost first, are a list of (before . after) pairs in
;;; the context block, read and written with $winders and $set-winders!.

;; Runs the after thunks out of the current extent and the before thunks into `target`'s,
;; through their common ancestor; each thunk runs with the winders of its own dynamic-wind call.
(define ($wind-to target)
  (let ((common
         (let ((lh (length ($winders))) (lt (length target)))
           (let loop ((here (if (> lh lt) (list-tail ($winders) (- lh lt)) ($winders)))
                      (there (if (> lt lh) (list-tail target (- lt lh)) target)))
             (if (eq? here there) here (loop (cdr here) (cdr there)))))))
    (let unwind ()
      (unless (eq? ($winders) common)
        (let ((after (cdar ($winders))))
          ($set-winders! (cdr ($winders)))
          (after)
          (unwind))))
    (let rewind ((ws target))
      (unless (eq? ws common)
        (rewind (cdr ws))
        ((caar ws))
        ($set-winders! ws)))))

(define (call-with-current-continuation f)
  (unless (procedure? f)
    (assertion-violation 'call-with-current-continuation "not a procedure" f))
  ($call/cc f))

(define call/cc call-with-current-continuation)

;; What a continuation does when called in another dynamic-wind context than its own, or with
;; more than four values: the continuation's code tail-calls this with itself first.
(define ($continue-slow k . vals)
  ($wind-to ($continuation-winders k))
  ($continue-thunk k (lambda () (apply values vals))))

(define (dynamic-wind before thunk after)
  ($check-procedure 'dynamic-wind before)
  ($check-procedure 'dynamic-wind thunk)
  ($check-procedure 'dynamic-wind after)
  (before)
  ($set-winders! (cons (cons before after) ($winders)))
  (call-with-values thunk
    (case-lambda
      ((v) ($set-winders! (cdr ($winders))) (after) v)
      (vs ($set-winders! (cdr ($winders))) (after) (apply values vs)))))

;; A parameter is a procedure: no argument gives its value, one sets it (converted);
;; `$parameter-key` as the argument gives its converter, and with a value sets it as is
;; (what `parameterize` does, through `$parameterize`).
(define $parameter-key (list 'parameter))

(define make-parameter
  (case-lambda
    ((init) (make-parameter init (lambda (x) x)))
    ((init converter)
     ($check-procedure 'make-parameter converter)
     (let ((value (converter init)))
       (case-lambda
         (() value)
         ((x) (if (eq? x $parameter-key) converter (set! value (converter x))))
         ((key x) (if (eq? key $parameter-key)
                      (set! value x)
                      (assertion-violation 'parameter "wrong number of arguments" key x))))))))

(define ($parameterize params vals thunk)
  (for-each (lambda (p) ($check-procedure 'parameterize p)) params)
  (let ((new (map (lambda (p v) ((p $parameter-key) v)) params vals)))
    (let ((swap! (lambda ()
                   (let ((old (map (lambda (p) (p)) params)))
                     (for-each (lambda (p v) (p $parameter-key v)) params new)
                     (set! new old)))))
      (dynamic-wind swap! thunk swap!))))

;; R6RS and R7RS: exit runs the outstanding dynamic-wind after thunks, flushes the output
;; ports (stdlib/ports.scm), then ends the program.
(define exit
  (case-lambda
    (() ($wind-to '()) ($flush-output-ports) ($exit))
    ((status) ($wind-to '()) ($flush-output-ports) ($exit status))))
