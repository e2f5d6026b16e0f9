(import (rnrs) (rnrs r5rs))
;; Allocates 2.4 GB in total (30,000 vectors of 10,000 elements, and a short list each
;; round) while at most two vectors are live, so the heap stays small. Each vector is checked
;; before the next one replaces it.
(define (rounds k previous bad)
  (if (= k 0)
      bad
      (let ((next (make-vector 10000 k))
            (small (list k k k)))
        (rounds (- k 1) next
                (if (and (= (vector-ref next (modulo (* k 7919) 10000)) k)
                         (= (vector-ref previous 9999) (+ k 1))
                         (= (car (cddr small)) k))
                    bad
                    (+ bad 1))))))
(write (rounds 30000 (make-vector 10000 30001) 0))
(newline)
