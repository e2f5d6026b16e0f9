;; exit with a status ends the program at once.
(program (begin ((primitive display) (quote "before")) ((primitive newline)) ((primitive $exit) (quote 3)) ((primitive display) (quote "after"))))
