(import (rnrs))
;; Exhausting the heap (16 MiB, gc_heap_exhaustion_caught.env) raises a &serious condition
;; that guard catches; the data that filled the heap is garbage afterwards, so the program
;; goes on allocating.
(define (grow list n)
  (grow (cons (make-vector 10 n) list) (+ n 1)))
(define caught
  (guard (e ((serious-condition? e) (condition-message e)))
    (grow '() 0)))
(display caught)
(newline)
(define (churn n kept)
  (if (= n 0)
      (length kept)
      (churn (- n 1) (if (= (length kept) 100) '() (cons (make-vector 10 n) kept)))))
(display (churn 200000 '()))
(newline)
