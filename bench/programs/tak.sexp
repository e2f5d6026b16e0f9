;; tak(18, 12, 6) repeated 100 times: non-tail and tail calls with three arguments.
(program
  (letrec ([tak (lambda (x y z)
                  (if ((primitive <) y x)
                      (tak (tak ((primitive -) x (quote 1)) y z)
                           (tak ((primitive -) y (quote 1)) z x)
                           (tak ((primitive -) z (quote 1)) x y))
                      z))]
           [repeat (lambda (i r) (if ((primitive zero?) i) r (repeat ((primitive -) i (quote 1)) (tak (quote 18) (quote 12) (quote 6)))))])
    (begin ((primitive write) (repeat (quote 100) (quote 0))) ((primitive newline)))))
