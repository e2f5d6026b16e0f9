;;; (rnrs unicode) and R7RS (scheme char): character properties, case mappings and
;;; case-insensitive comparisons. ASCII characters take fast paths here; everything else goes
;;; to the runtime's `unicode` service (runtime/src/unicode/), through the internal primitive
;;; `($unicode op a b)`, whose operation numbers are `runtime::unicode::UnicodeOp`'s.
;;;
;;; Not yet: the normalization forms (string-normalize-nfd and friends).

(define $unicode-char-upcase 0)
(define $unicode-char-downcase 1)
(define $unicode-char-titlecase 2)
(define $unicode-char-foldcase 3)
(define $unicode-alphabetic? 4)
(define $unicode-numeric? 5)
(define $unicode-whitespace? 6)
(define $unicode-upper-case? 7)
(define $unicode-lower-case? 8)
(define $unicode-title-case? 9)
(define $unicode-general-category 10)
(define $unicode-digit-value 11)
(define $unicode-string-upcase 12)
(define $unicode-string-downcase 13)
(define $unicode-string-titlecase 14)
(define $unicode-string-foldcase 15)

;; A procedure of one character: `ascii` on the scalar value of an ASCII character, the
;; service's operation `op` on any other.
(define ($char-property who op ascii)
  (lambda (c)
    ($check-char who c)
    (let ((n (char->integer c)))
      (if (< n 128) (ascii n) ($unicode op c #f)))))

(define ($ascii-upper? n) (and (<= 65 n) (<= n 90)))
(define ($ascii-lower? n) (and (<= 97 n) (<= n 122)))
(define ($ascii-digit? n) (and (<= 48 n) (<= n 57)))

(define ($ascii-upcase n)
  (integer->char (if ($ascii-lower? n) (- n 32) n)))
(define ($ascii-downcase n)
  (integer->char (if ($ascii-upper? n) (+ n 32) n)))

(define char-upcase ($char-property 'char-upcase $unicode-char-upcase $ascii-upcase))
(define char-downcase ($char-property 'char-downcase $unicode-char-downcase $ascii-downcase))
(define char-titlecase ($char-property 'char-titlecase $unicode-char-titlecase $ascii-upcase))
(define char-foldcase ($char-property 'char-foldcase $unicode-char-foldcase $ascii-downcase))

(define char-alphabetic?
  ($char-property 'char-alphabetic? $unicode-alphabetic?
                  (lambda (n) (or ($ascii-upper? n) ($ascii-lower? n)))))
(define char-numeric? ($char-property 'char-numeric? $unicode-numeric? $ascii-digit?))
(define char-whitespace?
  ($char-property 'char-whitespace? $unicode-whitespace?
                  (lambda (n) (or (= n 32) (and (<= 9 n) (<= n 13))))))
(define char-upper-case? ($char-property 'char-upper-case? $unicode-upper-case? $ascii-upper?))
(define char-lower-case? ($char-property 'char-lower-case? $unicode-lower-case? $ascii-lower?))
(define char-title-case?
  ($char-property 'char-title-case? $unicode-title-case? (lambda (n) #f)))

;; R7RS: the value of a decimal digit of any script, #f for other characters.
(define digit-value
  ($char-property 'digit-value $unicode-digit-value
                  (lambda (n) (and ($ascii-digit? n) (- n 48)))))

(define $general-categories
  '#(Lu Ll Lt Lm Lo Mn Mc Me Nd Nl No Ps Pe Pi Pf Pd Pc Po Sc Sm Sk So Zs Zp Zl Cc Cf Cs Co Cn))

(define (char-general-category c)
  ($check-char 'char-general-category c)
  (vector-ref $general-categories ($unicode $unicode-general-category c #f)))

;; A variadic comparison of the case-folded characters' scalar values.
(define ($char-ci-compare who compare)
  (lambda (a b . rest)
    (let loop ((a a) (b b) (rest rest) (result #t))
      ($check-char who a)
      ($check-char who b)
      (let ((result (and result (compare (char->integer (char-foldcase a))
                                         (char->integer (char-foldcase b))))))
        (if (null? rest) result (loop b (car rest) (cdr rest) result))))))

(define char-ci=? ($char-ci-compare 'char-ci=? =))
(define char-ci<? ($char-ci-compare 'char-ci<? <))
(define char-ci>? ($char-ci-compare 'char-ci>? >))
(define char-ci<=? ($char-ci-compare 'char-ci<=? <=))
(define char-ci>=? ($char-ci-compare 'char-ci>=? >=))

;;; Strings: full case mappings (special casing, final sigma, titlecase per word).

(define ($string-mapping who op)
  (lambda (s)
    ($check-string who s)
    ($unicode op s #f)))

(define string-upcase ($string-mapping 'string-upcase $unicode-string-upcase))
(define string-downcase ($string-mapping 'string-downcase $unicode-string-downcase))
(define string-titlecase ($string-mapping 'string-titlecase $unicode-string-titlecase))
(define string-foldcase ($string-mapping 'string-foldcase $unicode-string-foldcase))

;; A variadic comparison of the case-folded strings with `compare` (string=? and friends).
(define ($string-ci-compare who compare)
  (lambda (a b . rest)
    (let ((strings (cons a (cons b rest))))
      (for-each (lambda (s) ($check-string who s)) strings)
      (apply compare (map string-foldcase strings)))))

(define string-ci=? ($string-ci-compare 'string-ci=? string=?))
(define string-ci<? ($string-ci-compare 'string-ci<? string<?))
(define string-ci>? ($string-ci-compare 'string-ci>? string>?))
(define string-ci<=? ($string-ci-compare 'string-ci<=? string<=?))
(define string-ci>=? ($string-ci-compare 'string-ci>=? string>=?))
