;; fib(30), doubly recursive: calls, returns and fixnum arithmetic.
(program
  (letrec ([fib (lambda (n)
                  (if ((primitive <) n (quote 2))
                      n
                      ((primitive +) (fib ((primitive -) n (quote 1))) (fib ((primitive -) n (quote 2))))))])
    (begin ((primitive write) (fib (quote 30))) ((primitive newline)))))
