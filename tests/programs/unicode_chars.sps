(import (rnrs))
;; (rnrs unicode) on characters: simple case mappings, properties, general categories and
;; case-insensitive comparisons, ASCII and beyond. Every line agrees with Chez Scheme 9.5.
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(define sample (string->list "aZ5 \t\x3a3;\x3c3;\x3c2;\x1c4;\x1c5;\x1c6;\xdf;\xb5;\x130;\x131;\x17f;\x3000;\x2160;\x663;_!"))
(for-each
 (lambda (c)
   (show c (char-upcase c) (char-downcase c) (char-titlecase c) (char-foldcase c)
         (char-alphabetic? c) (char-numeric? c) (char-whitespace? c)
         (char-upper-case? c) (char-lower-case? c) (char-title-case? c)
         (char-general-category c)))
 sample)
(show (map char-general-category
           (string->list "\x0;\x300;\x903;\x20dd;\x2167;\xbd;([\xab;\xbb;-_.$+^\xa9;\x2028;\x2029;\xad;\xe000;\x378;")))
(show (char-ci=? #\a #\A) (char-ci=? #\x3c3 #\x3a3 #\x3c2) (char-ci<? #\a #\B #\c)
      (char-ci>? #\Z #\y) (char-ci<=? #\a #\A #\b) (char-ci>=? #\b #\A #\a) (char-ci<? #\b #\A))
(show (char-ci=? #\x17f #\s #\S) (char-ci=? #\xdf #\s))
