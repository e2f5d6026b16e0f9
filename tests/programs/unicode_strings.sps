(import (rnrs))
;; (rnrs unicode) on strings: full case mappings with special casing (ß, ligatures, final
;; sigma), titlecase by words, and case-insensitive comparisons. Every line agrees with
;; Chez Scheme 9.5 except the one marked.
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(show (string-upcase "Straße") (string-upcase "hello, World!") (string-upcase ""))
(show (string-downcase "ΧΑΟΣ") (string-downcase "ΧΑΟΣΣ") (string-downcase "ΧΑΟΣ Σ")
      (string-downcase "Σ") (string-downcase "AΣ'") (string-downcase "HELLO"))
(show (string-foldcase "Straße ΧΑΟΣ") (string-foldcase "ﬃ İ") (string-foldcase "ABC"))
(show (string-titlecase "kNock KNoCK") (string-titlecase "who's there?")
      (string-titlecase "r6rs") (string-titlecase "R6RS") (string-titlecase "a-b c_d 'tis"))
;; Unicode's full titlecase of the ligature ﬂ is "Fl"; Chez 9.5 gives "ﬂOat".
(show (string-titlecase "ﬂoat"))
(show (string-ci=? "Straße" "STRASSE") (string-ci=? "ΧΑΟΣ" "χαος" "χαοσ")
      (string-ci<? "apple" "Banana" "cherry") (string-ci>? "b" "A") (string-ci<=? "a" "A")
      (string-ci>=? "a" "B") (string-ci=? "a" "ab"))
;; A string long enough that the result is made after a collection now and then.
(define long (make-string 1000 #\xdf))
(let loop ((i 0) (n 0))
  (if (< i 200)
      (loop (+ i 1) (+ n (string-length (string-upcase long))))
      (show n)))
(show (string-upcase (string #\a #\x1f80 #\x149)) (string-length (string-upcase "\x1f80;")))
