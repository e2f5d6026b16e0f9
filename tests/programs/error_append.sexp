;; append of an improper list.
(program ((primitive append) (quote (1 . 2)) (quote (3))))
