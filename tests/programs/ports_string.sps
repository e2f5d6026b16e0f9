;; String ports, R6RS and R7RS: output accumulates, extraction resets (R6RS) or not (R7RS),
;; input reads back by line, by character and all at once; values longer than a port's
;; buffer print through a fresh string; multi-byte characters survive.
(import (rnrs) (only (scheme base) open-output-string get-output-string open-input-string
                     read-line read-string read-char peek-char write-string char-ready?))

(define (show . xs) (for-each display xs) (newline))

(call-with-values open-string-output-port
  (lambda (p extract)
    (write '(a "b\n" #\c 1.5 -7/3 12345678901234567890 #(1 #t ()) λ) p)
    (put-string p " — ok")
    (put-char p #\!)
    (show (extract))
    (put-string p "again" 1 3)
    (show "after reset: " (extract))))

(define long (let loop ((i 0) (acc '())) (if (= i 300) acc (loop (+ i 1) (cons i acc)))))
(define text (call-with-string-output-port (lambda (p) (write long p))))
(show (string-length text) " " (substring text 0 12) " " (substring text (- (string-length text) 8) (string-length text)))

(define out (open-output-string))
(write 'sym out)
(write-string " and a string" out)
(write-char #\λ out)
(show (get-output-string out))
(display 12 out)
(show (get-output-string out))

(define in (open-string-input-port "first line\nsecond λ line\nrest\nof it"))
(write (get-line in)) (newline)
(write (get-char in)) (newline)
(write (lookahead-char in)) (newline)
(write (get-string-n in 5)) (newline)
(write (get-line in)) (newline)
(write (get-string-all in)) (newline)
(write (list (eof-object? (get-char in)) (eof-object? (get-line in))
             (eof-object? (get-string-all in)) (port-eof? in)))
(newline)

(define r7 (open-input-string "ab\ncd"))
(write (list (char-ready? r7) (peek-char r7) (read-char r7) (read-string 10 r7)
             (eof-object? (read-line r7)) (eof-object? (read-char r7))))
(newline)

(write (list (port? in) (input-port? in) (output-port? in) (textual-port? in) (binary-port? in)
             (port? 5) (input-port? out) (output-port? out)))
(newline)
(write (eof-object))
(newline)
