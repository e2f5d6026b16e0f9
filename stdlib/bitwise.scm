;;; (rnrs arithmetic bitwise): exact integers as two's complement numbers of unbounded width.
;;; The operations that need the representation are the internal primitives `$bitwise-and`,
;;; `-ior`, `-xor` (open-coded for fixnums), `-arithmetic-shift`, `-bit-count`, `-length` and
;;; `-first-bit-set` (runtime/src/number/bitwise.rs); the rest is Scheme over them, following
;;; the definitions in R6RS 11.4 of the Standard Libraries.

(define ($check-exact-integer who x)
  (unless (exact-integer? x) (assertion-violation who "not an exact integer" x)))

(define ($check-index who x)
  (unless (and (exact-integer? x) (>= x 0))
    (assertion-violation who "not a non-negative exact integer" x)))

(define (bitwise-not ei)
  ($check-exact-integer 'bitwise-not ei)
  (- -1 ei))

;; A variadic logical operation from the binary `op`, whose identity is `none`.
(define ($bitwise-fold who op none)
  (case-lambda
    (() none)
    ((a) ($check-exact-integer who a) a)
    ((a b)
     ($check-exact-integer who a)
     ($check-exact-integer who b)
     (op a b))
    ((a . rest)
     ($check-exact-integer who a)
     (let loop ((acc a) (rest rest))
       (if (null? rest)
           acc
           (begin
             ($check-exact-integer who (car rest))
             (loop (op acc (car rest)) (cdr rest))))))))

(define bitwise-and ($bitwise-fold 'bitwise-and (lambda (a b) ($bitwise-and a b)) -1))
(define bitwise-ior ($bitwise-fold 'bitwise-ior (lambda (a b) ($bitwise-ior a b)) 0))
(define bitwise-xor ($bitwise-fold 'bitwise-xor (lambda (a b) ($bitwise-xor a b)) 0))

;; The bits of `then` where `mask` has ones, those of `else` where it has zeros.
(define (bitwise-if mask then else)
  ($check-exact-integer 'bitwise-if mask)
  ($check-exact-integer 'bitwise-if then)
  ($check-exact-integer 'bitwise-if else)
  ($bitwise-ior ($bitwise-and mask then) ($bitwise-and (- -1 mask) else)))

(define (bitwise-bit-count ei)
  ($check-exact-integer 'bitwise-bit-count ei)
  ($bitwise-bit-count ei))

(define (bitwise-length ei)
  ($check-exact-integer 'bitwise-length ei)
  ($bitwise-length ei))

(define (bitwise-first-bit-set ei)
  ($check-exact-integer 'bitwise-first-bit-set ei)
  ($bitwise-first-bit-set ei))

(define (bitwise-bit-set? ei index)
  ($check-exact-integer 'bitwise-bit-set? ei)
  ($check-index 'bitwise-bit-set? index)
  (not (eqv? 0 ($bitwise-and ($bitwise-arithmetic-shift ei (- index)) 1))))

(define (bitwise-copy-bit ei index bit)
  ($check-exact-integer 'bitwise-copy-bit ei)
  ($check-index 'bitwise-copy-bit index)
  (unless (memv bit '(0 1)) (assertion-violation 'bitwise-copy-bit "not 0 or 1" bit))
  (let ((mask ($bitwise-arithmetic-shift 1 index)))
    (bitwise-if mask ($bitwise-arithmetic-shift bit index) ei)))

;; Checks `start` and `end` of a bit field.
(define ($check-field who start end)
  ($check-index who start)
  ($check-index who end)
  (unless (<= start end) (assertion-violation who "start after end" start end)))

(define (bitwise-bit-field ei start end)
  ($check-exact-integer 'bitwise-bit-field ei)
  ($check-field 'bitwise-bit-field start end)
  (let ((mask (- -1 ($bitwise-arithmetic-shift -1 end))))
    ($bitwise-arithmetic-shift ($bitwise-and ei mask) (- start))))

(define (bitwise-copy-bit-field to start end from)
  ($check-exact-integer 'bitwise-copy-bit-field to)
  ($check-field 'bitwise-copy-bit-field start end)
  ($check-exact-integer 'bitwise-copy-bit-field from)
  (let ((mask ($bitwise-and ($bitwise-arithmetic-shift -1 start)
                            (- -1 ($bitwise-arithmetic-shift -1 end)))))
    (bitwise-if mask ($bitwise-arithmetic-shift from start) to)))

(define (bitwise-arithmetic-shift ei amount)
  ($check-exact-integer 'bitwise-arithmetic-shift ei)
  (unless (fixnum? amount)
    (assertion-violation 'bitwise-arithmetic-shift "not a fixnum" amount))
  ($bitwise-arithmetic-shift ei amount))

(define (bitwise-arithmetic-shift-left ei amount)
  ($check-exact-integer 'bitwise-arithmetic-shift-left ei)
  ($check-index 'bitwise-arithmetic-shift-left amount)
  (bitwise-arithmetic-shift ei amount))

(define (bitwise-arithmetic-shift-right ei amount)
  ($check-exact-integer 'bitwise-arithmetic-shift-right ei)
  ($check-index 'bitwise-arithmetic-shift-right amount)
  (bitwise-arithmetic-shift ei (- amount)))

(define (bitwise-rotate-bit-field ei start end count)
  ($check-exact-integer 'bitwise-rotate-bit-field ei)
  ($check-field 'bitwise-rotate-bit-field start end)
  ($check-index 'bitwise-rotate-bit-field count)
  (let ((width (- end start)))
    (if (positive? width)
        (let* ((count (mod count width))
               (field (bitwise-bit-field ei start end))
               (rotated ($bitwise-ior ($bitwise-arithmetic-shift field count)
                                      ($bitwise-arithmetic-shift field (- count width)))))
          (bitwise-copy-bit-field ei start end rotated))
        ei)))

(define (bitwise-reverse-bit-field ei start end)
  ($check-exact-integer 'bitwise-reverse-bit-field ei)
  ($check-field 'bitwise-reverse-bit-field start end)
  (let loop ((field (bitwise-bit-field ei start end)) (i (- end start)) (reversed 0))
    (if (= i 0)
        (bitwise-copy-bit-field ei start end reversed)
        (loop ($bitwise-arithmetic-shift field -1)
              (- i 1)
              ($bitwise-ior ($bitwise-arithmetic-shift reversed 1) ($bitwise-and field 1))))))
