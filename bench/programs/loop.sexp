;; A counting loop of 100,000,000 iterations (tail calls).
(program
  (letrec ([loop (lambda (i acc)
                   (if ((primitive =) i (quote 0))
                       acc
                       (loop ((primitive -) i (quote 1)) ((primitive +) acc (quote 1)))))])
    (begin ((primitive write) (loop (quote 100000000) (quote 0))) ((primitive newline)))))
