;; Mutual recursion through tail calls, deep enough to need constant stack.
(program
  (letrec ([even? (lambda (n) (if ((primitive zero?) n) (quote #t) (odd? ((primitive -) n (quote 1)))))]
           [odd? (lambda (m) (if ((primitive zero?) m) (quote #f) (even? ((primitive -) m (quote 1)))))])
    (begin
      ((primitive write) (even? (quote 1000001)))
      ((primitive newline))
      ((primitive write) (odd? (quote 1000001)))
      ((primitive newline)))))
