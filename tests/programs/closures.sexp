;; Closures capturing loop variables (each closure keeps its own i), a counter made with set!
;; on a captured variable, and a global variable.
(program
  (begin
    (set-global! counter
      (lambda ()
        ((lambda (n) (lambda () (begin (set! n ((primitive +) n (quote 1))) n))) (quote 0))))
    (letrec ([make (lambda (i acc)
                     (if ((primitive =) i (quote 3))
                         acc
                         (make ((primitive +) i (quote 1))
                               ((primitive cons) (lambda () ((primitive *) i (quote 10))) acc))))]
             [run (lambda (fs)
                    (if ((primitive null?) fs)
                        ((primitive void))
                        (begin ((primitive write) (((primitive car) fs)))
                               ((primitive newline))
                               (run ((primitive cdr) fs)))))]
             [c ((global counter))])
      (begin
        (run (make (quote 0) (quote ())))
        (c) (c)
        ((primitive write) (c))
        ((primitive newline))
        (set-global! total ((primitive +) (c) (quote 100)))
        ((primitive write) (global total))
        ((primitive newline))))))
