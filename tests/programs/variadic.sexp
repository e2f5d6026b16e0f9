;; Rest parameters, case-lambda, apply (also in tail position and with many arguments), and
;; primitives used as values.
(program
  (letrec ([show (lambda (x) (begin ((primitive write) x) ((primitive newline))))]
           [f (lambda (a . r) ((primitive cons) a r))]
           [g (case-lambda [() (quote zero)] [(x1) (quote one)] [(x2 y . z) z])]
           [count (lambda (n acc) (if ((primitive null?) n) acc (count ((primitive cdr) n) ((primitive +) acc (quote 1)))))]
           [all (lambda args args)]
           [many (lambda (a1 b1 c1 d1 e1 f1 g1 h1 . rest) ((primitive list) a1 h1 rest))]
           [tail-apply (lambda (lst) ((primitive apply) all (quote 0) lst))]
           [iota (lambda (k ac) (if ((primitive zero?) k) ac (iota ((primitive -) k (quote 1)) ((primitive cons) k ac))))])
    (begin
      (show (f (quote 1)))
      (show (f (quote 1) (quote 2) (quote 3) (quote 4) (quote 5) (quote 6)))
      (show (g))
      (show (g (quote 1)))
      (show (g (quote 1) (quote 2)))
      (show (g (quote 1) (quote 2) (quote 3) (quote 4) (quote 5) (quote 6) (quote 7)))
      (show ((primitive apply) f (quote 1) (quote (2 3))))
      (show ((primitive apply) (primitive +) (quote (1 2 3))))
      (show ((primitive apply) many (iota (quote 10) (quote ()))))
      (show (count ((primitive apply) all (iota (quote 10000) (quote ()))) (quote 0)))
      (show (count (tail-apply (iota (quote 5000) (quote ()))) (quote 0)))
      (show ((primitive apply) (primitive car) (quote ((1 2)))))
      (show (many (quote 1) (quote 2) (quote 3) (quote 4) (quote 5) (quote 6) (quote 7) (quote 8) (quote 9))))))
