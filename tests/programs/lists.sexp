;; append (any number of lists, the last one shared) and list->vector.
(program
  (letrec ([show (lambda (x) (begin ((primitive write) x) ((primitive newline))))])
    ((lambda (tail)
       (begin
         (show ((primitive append)))
         (show ((primitive append) (quote (1 2)) (quote (3)) (quote ()) (quote (4 5))))
         (show ((primitive append) (quote (1)) (quote 2)))
         (show ((primitive eq?) ((primitive cdr) ((primitive append) (quote (1)) tail)) tail))
         (show ((primitive list->vector) (quote (a "b" #\c))))
         (show ((primitive list->vector) (quote ())))))
     (quote (x y)))))
