;; Files: write one, read it back by line, by character and whole, in UTF-8; binary files;
;; with-output-to-file and with-input-from-file; file-exists? and delete-file. The files are
;; made in the current directory and deleted at the end.
(import (rnrs) (rnrs mutable-strings) (only (scheme base) read-line read-char peek-char read-u8 peek-u8
                     read-bytevector write-u8 write-bytevector write-string bytevector)
        (scheme file))

(define (show . xs) (for-each display xs) (newline))
(define name "loko-test-ports-files.txt")
(define binary-name "loko-test-ports-files.bin")
(for-each (lambda (f) (when (file-exists? f) (delete-file f))) (list name binary-name))

(show "exists before: " (file-exists? name))
(call-with-output-file name
  (lambda (p)
    (display "héllo wörld" p)
    (newline p)
    (write '(1 "two" #\3) p)
    (newline p)
    (write-string "€ and 😀\nlast line without newline" p)))
(show "exists after: " (file-exists? name))

(show "-- by line")
(call-with-input-file name
  (lambda (p)
    (let loop ((n 1))
      (let ((line (read-line p)))
        (unless (eof-object? line)
          (show n ": " line " (" (string-length line) " chars)")
          (loop (+ n 1)))))))

(show "-- by char")
(define chars
  (with-input-from-file name
    (lambda ()
      (let loop ((acc '()))
        (let ((c (read-char)))
          (if (eof-object? c) (reverse acc) (loop (cons c acc))))))))
(show (length chars) " chars, first " (list (car chars) (cadr chars)) ", non-ASCII "
      (filter (lambda (c) (> (char->integer c) 127)) chars))

(show "-- whole, through a transcoded binary port")
(define whole
  (let ((p (open-file-input-port name (file-options) (buffer-mode block) (native-transcoder))))
    (let ((s (get-string-all p))) (close-port p) s)))
(show (string-length whole) " " (string=? whole (list->string chars)))

(show "-- with-output-to-file replaces")
(with-output-to-file name (lambda () (display "replaced ") (write "text")))
(show (call-with-input-file name get-string-all))

(show "-- binary")
(let ((p (open-file-output-port binary-name)))
  (put-u8 p 0)
  (put-bytevector p (u8-list->bytevector (list 255 128 7)))
  (put-bytevector p (string->utf8 "λ"))
  (close-port p))
(let ((p (open-file-input-port binary-name)))
  (show (list (get-u8 p) (lookahead-u8 p) (get-bytevector-n p 2) (get-bytevector-all p)
              (eof-object? (get-u8 p))))
  (close-port p))
(let ((p (open-binary-output-file binary-name)))
  (write-u8 65 p)
  (write-bytevector (bytevector 66 67 68) p 1)
  (close-port p))
(let ((p (open-binary-input-file binary-name)))
  (show (list (peek-u8 p) (read-u8 p) (read-bytevector 10 p) (eof-object? (read-u8 p))))
  (close-port p))

(define big (make-string 10000 #\x))
(string-set! big 9999 #\λ)
(call-with-output-file name (lambda (p) (display big p)))
(show "big: " (string=? big (call-with-input-file name get-string-all)))

(delete-file name)
(delete-file binary-name)
(show "deleted: " (file-exists? name) " " (file-exists? binary-name))
