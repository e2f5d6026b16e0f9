;;; (rnrs arithmetic fixnums): the fixnum procedures of R6RS 11.2 of the Standard Libraries.
;;; Loko's fixnums are 61 bits wide (runtime/src/value.rs). Arguments are checked to be
;;; fixnums (an assertion violation otherwise); a result that is not a fixnum raises
;;; `&implementation-restriction`. The arithmetic is the generic one (open-coded for
;;; fixnums), the bit operations those of stdlib/bitwise.scm.

(define (fixnum-width) 61)
(define (least-fixnum) -1152921504606846976)
(define (greatest-fixnum) 1152921504606846975)

;; A macro, so that the check is open-coded in every fx procedure.
(define-syntax $check-fixnum
  (syntax-rules ()
    ((_ who x) (unless (fixnum? x) ($not-fixnum who x)))))

(define ($not-fixnum who x)
  (assertion-violation who "not a fixnum" x))

;; Raises the &implementation-restriction of `who` on `irritants` whose result is not a fixnum.
(define ($fixnum-overflow who . irritants)
  (raise (condition (make-implementation-restriction-violation)
                    (make-who-condition who)
                    (make-message-condition "result is not a fixnum")
                    (make-irritants-condition irritants))))

;; `r`, the result of `who` on `a` and `b`, if it is a fixnum.
(define ($fixnum-result who r a b)
  (if (fixnum? r) r ($fixnum-overflow who a b)))

;; A bit index: a fixnum in [0, fixnum-width).
(define ($check-bit-index who x)
  (unless (and (fixnum? x) (>= x 0) (< x 61))
    (assertion-violation who "not a bit index of a fixnum" x)))

;; The w-bit two's complement reading of a non-negative `r` below 2^61 (a bit operation that
;; sets the sign bit makes a negative fixnum).
(define ($fixnum-wrap r)
  (if (> r 1152921504606846975) (- r 2305843009213693952) r))

;; The variadic comparisons, each a procedure of its own with the two-argument case first,
;; so that the common call is one call with the checks and the comparison open-coded.
(define-syntax $define-fixnum-comparison
  (syntax-rules ()
    ((_ name compare)
     (define name
       (case-lambda
         ((a b)
          ($check-fixnum 'name a)
          ($check-fixnum 'name b)
          (compare a b))
         ((a b . rest)
          (let loop ((a a) (b b) (rest rest) (result #t))
            ($check-fixnum 'name a)
            ($check-fixnum 'name b)
            (let ((result (and result (compare a b))))
              (if (null? rest) result (loop b (car rest) (cdr rest) result))))))))))

($define-fixnum-comparison fx=? =)
($define-fixnum-comparison fx<? <)
($define-fixnum-comparison fx>? >)
($define-fixnum-comparison fx<=? <=)
($define-fixnum-comparison fx>=? >=)

(define (fxzero? x) ($check-fixnum 'fxzero? x) (eq? x 0))
(define (fxpositive? x) ($check-fixnum 'fxpositive? x) (> x 0))
(define (fxnegative? x) ($check-fixnum 'fxnegative? x) (< x 0))
(define (fxodd? x) ($check-fixnum 'fxodd? x) (eqv? ($bitwise-and x 1) 1))
(define (fxeven? x) ($check-fixnum 'fxeven? x) (eqv? ($bitwise-and x 1) 0))

(define (fxmax x . xs)
  (for-each (lambda (x) ($check-fixnum 'fxmax x)) (cons x xs))
  (apply max x xs))
(define (fxmin x . xs)
  (for-each (lambda (x) ($check-fixnum 'fxmin x)) (cons x xs))
  (apply min x xs))

(define (fx+ a b)
  ($check-fixnum 'fx+ a)
  ($check-fixnum 'fx+ b)
  (let ((r (+ a b))) (if (fixnum? r) r ($fixnum-overflow 'fx+ a b))))

(define (fx* a b)
  ($check-fixnum 'fx* a)
  ($check-fixnum 'fx* b)
  (let ((r (* a b))) (if (fixnum? r) r ($fixnum-overflow 'fx* a b))))

(define fx-
  (case-lambda
    ((a) ($check-fixnum 'fx- a) (let ((r (- a))) (if (fixnum? r) r ($fixnum-overflow 'fx- a))))
    ((a b)
     ($check-fixnum 'fx- a)
     ($check-fixnum 'fx- b)
     (let ((r (- a b))) (if (fixnum? r) r ($fixnum-overflow 'fx- a b))))))

;; The fixnum division procedures: `div` and `mod` (or `div0`/`mod0`) of two fixnums.
(define ($fixnum-division who divide a b)
  ($check-fixnum who a)
  ($check-fixnum who b)
  (when (eq? b 0) (assertion-violation who "division by zero" a b))
  (call-with-values (lambda () (divide a b))
    (lambda (d m) (values ($fixnum-result who d a b) m))))

(define (fxdiv-and-mod a b) ($fixnum-division 'fxdiv-and-mod div-and-mod a b))
(define (fxdiv a b) (call-with-values (lambda () ($fixnum-division 'fxdiv div-and-mod a b))
                      (lambda (d m) d)))
(define (fxmod a b) (call-with-values (lambda () ($fixnum-division 'fxmod div-and-mod a b))
                      (lambda (d m) m)))
(define (fxdiv0-and-mod0 a b) ($fixnum-division 'fxdiv0-and-mod0 div0-and-mod0 a b))
(define (fxdiv0 a b) (call-with-values (lambda () ($fixnum-division 'fxdiv0 div0-and-mod0 a b))
                       (lambda (d m) d)))
(define (fxmod0 a b) (call-with-values (lambda () ($fixnum-division 'fxmod0 div0-and-mod0 a b))
                       (lambda (d m) m)))

;; The /carry procedures: `s` split into a fixnum-width digit and a carry (R6RS's mod0/div0
;; by 2^w).
(define ($fixnum-carry s)
  (call-with-values (lambda () (div0-and-mod0 s 2305843009213693952))
    (lambda (carry digit) (values digit carry))))

(define (fx+/carry a b c)
  (for-each (lambda (x) ($check-fixnum 'fx+/carry x)) (list a b c))
  ($fixnum-carry (+ a b c)))
(define (fx-/carry a b c)
  (for-each (lambda (x) ($check-fixnum 'fx-/carry x)) (list a b c))
  ($fixnum-carry (- a b c)))
(define (fx*/carry a b c)
  (for-each (lambda (x) ($check-fixnum 'fx*/carry x)) (list a b c))
  ($fixnum-carry (+ (* a b) c)))

;;; Bits.

(define (fxnot x) ($check-fixnum 'fxnot x) (- -1 x))

(define-syntax $define-fixnum-logical
  (syntax-rules ()
    ((_ name op none)
     (define name
       (case-lambda
         ((a b)
          ($check-fixnum 'name a)
          ($check-fixnum 'name b)
          (op a b))
         (xs
          (let loop ((acc none) (xs xs))
            (if (null? xs)
                acc
                (begin
                  ($check-fixnum 'name (car xs))
                  (loop (op acc (car xs)) (cdr xs)))))))))))

($define-fixnum-logical fxand $bitwise-and -1)
($define-fixnum-logical fxior $bitwise-ior 0)
($define-fixnum-logical fxxor $bitwise-xor 0)

(define (fxif mask then else)
  (for-each (lambda (x) ($check-fixnum 'fxif x)) (list mask then else))
  (bitwise-if mask then else))

(define (fxbit-count x) ($check-fixnum 'fxbit-count x) ($bitwise-bit-count x))
(define (fxlength x) ($check-fixnum 'fxlength x) ($bitwise-length x))
(define (fxfirst-bit-set x) ($check-fixnum 'fxfirst-bit-set x) ($bitwise-first-bit-set x))

(define (fxbit-set? x index)
  ($check-fixnum 'fxbit-set? x)
  ($check-bit-index 'fxbit-set? index)
  (bitwise-bit-set? x index))

(define (fxcopy-bit x index bit)
  ($check-fixnum 'fxcopy-bit x)
  ($check-bit-index 'fxcopy-bit index)
  (unless (memv bit '(0 1)) (assertion-violation 'fxcopy-bit "not 0 or 1" bit))
  ($fixnum-wrap ($bitwise-and (bitwise-copy-bit x index bit) 2305843009213693951)))

(define ($check-fixnum-field who x start end)
  ($check-fixnum who x)
  ($check-bit-index who start)
  ($check-bit-index who end)
  (unless (<= start end) (assertion-violation who "start after end" start end)))

(define (fxbit-field x start end)
  ($check-fixnum-field 'fxbit-field x start end)
  (bitwise-bit-field x start end))

(define (fxcopy-bit-field to start end from)
  ($check-fixnum-field 'fxcopy-bit-field to start end)
  ($check-fixnum 'fxcopy-bit-field from)
  ($fixnum-wrap ($bitwise-and (bitwise-copy-bit-field to start end from) 2305843009213693951)))

(define (fxarithmetic-shift x amount)
  ($check-fixnum 'fxarithmetic-shift x)
  (unless (and (fixnum? amount) (< (abs amount) 61))
    (assertion-violation 'fxarithmetic-shift "not a shift amount of a fixnum" amount))
  ($fixnum-result 'fxarithmetic-shift ($bitwise-arithmetic-shift x amount) x amount))

(define (fxarithmetic-shift-left x amount)
  ($check-fixnum 'fxarithmetic-shift-left x)
  ($check-bit-index 'fxarithmetic-shift-left amount)
  ($fixnum-result 'fxarithmetic-shift-left ($bitwise-arithmetic-shift x amount) x amount))

(define (fxarithmetic-shift-right x amount)
  ($check-fixnum 'fxarithmetic-shift-right x)
  ($check-bit-index 'fxarithmetic-shift-right amount)
  ($bitwise-arithmetic-shift x (- amount)))

(define (fxrotate-bit-field x start end count)
  ($check-fixnum-field 'fxrotate-bit-field x start end)
  (unless (and (fixnum? count) (>= count 0) (or (= start end) (< count (- end start))))
    (assertion-violation 'fxrotate-bit-field "not a count within the field" count))
  ($fixnum-wrap ($bitwise-and (bitwise-rotate-bit-field x start end count) 2305843009213693951)))

(define (fxreverse-bit-field x start end)
  ($check-fixnum-field 'fxreverse-bit-field x start end)
  ($fixnum-wrap ($bitwise-and (bitwise-reverse-bit-field x start end) 2305843009213693951)))
