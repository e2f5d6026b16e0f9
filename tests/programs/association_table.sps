(import (rnrs) (rnrs mutable-pairs))
;; Counts words with an association list updated in place.
(define counts '())
(define (count! word)
  (let ((entry (assq word counts)))
    (if entry
        (set-cdr! entry (+ (cdr entry) 1))
        (set! counts (cons (cons word 1) counts)))))
(for-each count! '(the cat saw the dog and the cat ran))
(write (reverse counts))
(newline)
