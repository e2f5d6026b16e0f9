#!r6rs
(import (rnrs))
(display "Hello, World!\n") ; the classic
'(a . #(1 2.5 #\x))
