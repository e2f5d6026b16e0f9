;; Standard input (the test harness feeds ports_stdin.in): lines, characters and the rest,
;; decoded from UTF-8, then the end of the file. Output written before reading stays in order.
(import (rnrs) (only (scheme base) read-line read-char peek-char read-string))

(display "prompt> ")
(write (read-line))
(newline)
(write (list (read-char) (peek-char) (read-char)))
(newline)
(write (get-line (current-input-port)))
(newline)
(write (read-string 3))
(newline)
(write (get-string-all (current-input-port)))
(newline)
(write (list (eof-object? (read-char)) (eof-object? (read-line))))
(newline)
