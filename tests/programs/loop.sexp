;; A loop of 10,000,000 iterations in constant stack (a tail call each time).
(program
  (letrec ([loop (lambda (i acc)
                   (if ((primitive =) i (quote 0))
                       acc
                       (loop ((primitive -) i (quote 1)) ((primitive +) acc (quote 2)))))])
    (begin ((primitive display) (loop (quote 10000000) (quote 0))) ((primitive newline)))))
