;; Output of a string and a newline.
(program (begin ((primitive display) (quote "Hello, world!")) ((primitive newline))))
