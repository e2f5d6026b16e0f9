(import (rnrs))
(define area
  (case-lambda
    ((side) (* side side))
    ((width height) (* width height))
    ((a b . more) (list 'many a b more))))
(write (list (area 3) (area 3 4) (area 1 2 3 4)))
(newline)
(define opt
  (case-lambda
    (() 'none)
    ((x) (list 'one x))
    (rest (list 'rest rest))))
(write (list (opt) (opt 1) (opt 1 2)))
(newline)
