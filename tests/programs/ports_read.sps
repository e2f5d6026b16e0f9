;; The run-time datum reader: `read` and `get-datum` give back what `write` printed, read
;; every kind of datum and comment, and report malformed input as a &lexical condition.
(import (rnrs) (only (scheme base) open-input-string) (scheme read))

(define (written x) (call-with-string-output-port (lambda (p) (write x p))))

(define data
  (list '(a b . c) '#(1 "two" #\3) (string->utf8 "λ") "tab\there \"quoted\" \\ λ"
        '(quote x) 12345678901234567890 -7/3 2.5 -0.125 #t #f '() 'λ-symbol '|with space|
        '(nested (list (of [things]))) #\space #\x0 #\λ '(1 . 2) (list 'unquote 'x)))

(for-each
 (lambda (x)
   (let ((back (read (open-input-string (written x)))))
     (unless (equal? back x)
       (display "mismatch: ") (write x) (display " read back as ") (write back) (newline))))
 data)
(display "round trips: ") (display (length data)) (newline)

(define p (open-string-input-port
           "; a comment\n(define (f x) ; another\n  `(,x ,@(list x)))\n#| block #| nested |# |#\n#;(skipped datum) #(1 #x1F #b101 #e1.5) [a b] #\\newline #!r6rs last"))
(let loop ()
  (let ((x (get-datum p)))
    (unless (eof-object? x)
      (write x)
      (newline)
      (loop))))

(for-each
 (lambda (text)
   (write (guard (e ((and (lexical-violation? e) (i/o-read-error? e)) (condition-message e)))
            (read (open-input-string text))))
   (newline))
 '("(a b" ")" "\"unterminated" "(a . )" "#\\nosuchname" "#<procedure>" "(a ]" "#vu8(1 256)"))
