;; Pairs and lists, and display/write of every kind of value.
(program
  (letrec ([show (lambda (x) (begin ((primitive display) x) ((primitive newline))))]
           [w (lambda (z) (begin ((primitive write) z) ((primitive newline))))])
    ((lambda (p)
       (begin
         (show p)
         ((primitive set-car!) p (quote 10))
         ((primitive set-cdr!) p (quote (20 30)))
         (show p)
         (show ((primitive list) (quote 1) (quote #t) (quote #\a) (quote "s") (quote sym)))
         (w ((primitive list) (quote 1) (quote #t) (quote #\a) (quote "s\"q") (quote sym)))
         (w (quote (1 (2 3) #(4 5) . 6)))
         (w ((primitive cons) (quote ()) (quote ())))
         (w (quote #vu8(1 2 255)))
         (w (quote (#\space #\newline #\x3bb)))
         (show (quote #\x3bb))
         (show ((primitive pair?) p))
         (show ((primitive null?) (quote ())))
         (show ((primitive equal?) (quote (1 #(2 "x"))) ((primitive list) (quote 1) ((primitive vector) (quote 2) (quote "x")))))
         (show ((primitive equal?) (quote (1 2)) (quote (1 3))))
         (show ((primitive car) ((primitive cdr) (quote (a b c)))))
         (show (lambda (y) y))))
     ((primitive cons) (quote 1) (quote 2)))))
