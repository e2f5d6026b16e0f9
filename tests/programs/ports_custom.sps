;; R6RS custom ports, transcoders and port positions.
(import (rnrs) (only (scheme base) string-copy! bytevector))

(define (show . xs) (for-each display xs) (newline))

;; A custom textual output port that collects what it is given, in chunks.
(define chunks '())
(define collector
  (make-custom-textual-output-port "collector"
    (lambda (s start count)
      (set! chunks (cons (substring s start (+ start count)) chunks))
      count)
    #f #f #f))
(put-string collector "hello, ")
(write '(custom port) collector)
(flush-output-port collector)
(show (apply string-append (reverse chunks)))

;; A custom binary input port counting down from 5.
(define n 5)
(define countdown
  (make-custom-binary-input-port "countdown"
    (lambda (bv start count)
      (if (= n 0)
          0
          (begin (bytevector-u8-set! bv start n) (set! n (- n 1)) 1)))
    #f #f #f))
(show (get-bytevector-all countdown))

;; A custom textual input port over a list of strings.
(define pieces '("ab" "c\nd" "ef"))
(define from-pieces
  (make-custom-textual-input-port "pieces"
    (lambda (s start count)
      (if (null? pieces)
          0
          (let ((piece (car pieces)))
            (set! pieces (cdr pieces))
            (string-copy! s start piece)
            (string-length piece))))
    #f #f #f))
(show (list (get-line from-pieces) (get-line from-pieces) (eof-object? (get-line from-pieces))))

;; Transcoders.
(define latin-1 (make-transcoder (latin-1-codec)))
(show (list (transcoder-codec latin-1) (transcoder-codec (native-transcoder))
            (eq? (utf-8-codec) (transcoder-codec (native-transcoder)))))
(show (string->bytevector "aé" latin-1) " " (string->bytevector "aé" (native-transcoder)))
(show (bytevector->string (bytevector 97 233) latin-1) " "
      (bytevector->string (bytevector 97 195 169) (native-transcoder)))
(define tp (transcoded-port (open-bytevector-input-port (bytevector 206 187 10 120)) (native-transcoder)))
(show (list (get-char tp) (get-line tp) (get-char tp) (port-transcoder tp)))
(show (call-with-bytevector-output-port (lambda (p) (put-string p "λ!")) (native-transcoder)))

;; Positions.
(define sp (open-string-input-port "0123456789"))
(get-string-n sp 3)
(show (list (port-has-port-position? sp) (port-position sp) (port-has-set-port-position!? sp)))
(set-port-position! sp 7)
(show (list (get-char sp) (port-position sp)))
(call-with-values open-string-output-port
  (lambda (op extract)
    (put-string op "abcd")
    (show (port-position op) " " (extract))))
(show (output-port-buffer-mode (current-output-port)) " " (buffer-mode? 'line) " "
      (buffer-mode none))
