;; Port errors are conditions a program can catch: a missing file is
;; &i/o-file-does-not-exist naming the file, creating a file that exists (R6RS default
;; options) is &i/o-file-already-exists, and using a closed port or a port of the wrong
;; kind is an assertion violation. Every operation is checked; nothing crashes.
(import (rnrs) (only (scheme base) read-char open-input-string open-output-string file-error?))

(define (show . xs) (for-each display xs) (newline))

(define (describe thunk)
  (guard (e ((i/o-file-does-not-exist-error? e)
             (list 'does-not-exist (i/o-error-filename e) (condition-who e) (condition-message e)
                   (file-error? e)))
            ((i/o-file-already-exists-error? e)
             (list 'already-exists (i/o-error-filename e) (condition-who e)))
            ((i/o-filename-error? e) (list 'filename-error (i/o-error-filename e)))
            ((assertion-violation? e)
             (list 'assertion (condition-who e) (condition-message e))))
    (thunk)
    'no-error))

(show (describe (lambda () (open-input-file "no-such-directory/missing.txt"))))
(show (describe (lambda () (open-file-input-port "missing-file.bin"))))
(show (describe (lambda () (call-with-input-file "missing.txt" get-line))))
(show (describe (lambda () (delete-file "no-such-file-to-delete"))))

(define name "loko-test-ports-errors.txt")
(when (file-exists? name) (delete-file name))
(call-with-output-file name (lambda (p) (display "x" p)))
(show (describe (lambda () (open-file-output-port name))))
(show (describe (lambda () (close-port (open-file-output-port name (file-options no-fail))))))
(show (describe (lambda () (open-file-output-port "missing-dir/f" (file-options no-create)))))
(delete-file name)

(define closed (open-input-string "abc"))
(close-port closed)
(show (describe (lambda () (read-char closed))))
(show (describe (lambda () (get-line closed))))
(close-port closed)
(define closed-out (open-output-string))
(close-port closed-out)
(show (describe (lambda () (display 1 closed-out))))
(show (describe (lambda () (write-char #\a (open-input-string "")))))
(show (describe (lambda () (get-u8 (open-input-string "")))))
(show (describe (lambda () (put-char (open-bytevector-input-port #vu8()) #\a))))
(show (describe (lambda () (display "x" 'not-a-port))))
(show (describe (lambda () (put-u8 (call-with-values open-bytevector-output-port (lambda (p g) p)) 256))))
(show (describe (lambda () (get-string-n (open-input-string "abc") -1))))
(show (describe (lambda () (put-string (open-output-string) "abc" 2 5))))
(show (describe (lambda () (open-input-file 'not-a-string))))
(show (describe (lambda () (current-output-port 5))))

;; Uncaught, it is reported on stderr after what the program wrote to stdout.
(display "written before the error")
(newline)
(open-input-file "loko-missing-file-uncaught.txt")
(display "never written")
