;; A CoreScheme program (the expander's output language): mutually recursive procedures, a
;; letrec-bound non-procedure, and one-armed ifs for the passes to remove.
(program
  (letrec ([even? (lambda (n) (if ((primitive zero?) n) (quote #t) (odd? ((primitive -) n (quote 1)))))]
           [odd? (lambda (m) (if ((primitive zero?) m) (quote #f) (even? ((primitive -) m (quote 1)))))]
           [count (quote 0)])
    (begin
      (if (even? (quote 10)) (set! count ((primitive +) count (quote 1))))
      count)))
