;;; The datum reader at run time: R7RS `read` and R6RS `get-datum`, over a textual input port.
;;; Part of the base library. (The compiler's own reader is Rust, in `ir::reader`; the
;;; runtime cannot use it.)
;;;
;;; Covers the common syntax: lists with ( ) or [ ], dotted pairs, vectors, bytevectors
;;; (#vu8( and #u8(), strings with their escapes, characters (named, #\xHH, literal),
;;; booleans, numbers (through string->number), symbols (|...| included), the quote
;;; abbreviations ' ` , ,@ #' #` #, #,@, and comments (; #| |# nested, #; and #!directives).
;;; Not covered: datum labels (#0= #0#), #!fold-case, and exact error positions. Malformed
;;; input raises a &lexical and &i/o-read condition naming the port.

(define ($read-error p message . irritants)
  (raise (condition (make-lexical-violation) (make-i/o-read-error) (make-who-condition 'read)
                    (make-message-condition message) (make-irritants-condition (cons p irritants)))))

(define ($delimiter? c)
  (or (eof-object? c) ($whitespace? c) (memv c '(#\( #\) #\[ #\] #\" #\;))))

(define ($whitespace? c)
  (memv c '(#\space #\tab #\newline #\return #\xc #\xb)))

;; Skips whitespace and comments; returns the next character without consuming it.
(define ($skip-atmosphere p)
  (let ((c ($peek-char p)))
    (cond ((eof-object? c) c)
          (($whitespace? c) ($get-char p) ($skip-atmosphere p))
          ((char=? c #\;)
           (let loop ()
             (let ((c ($get-char p)))
               (unless (or (eof-object? c) (char=? c #\newline)) (loop))))
           ($skip-atmosphere p))
          (else c))))

;; Skips a #| ... |# comment (the #| already read), nested ones included.
(define ($skip-block-comment p)
  (let loop ((depth 1))
    (let ((c ($get-char p)))
      (cond ((eof-object? c) ($read-error p "unterminated block comment"))
            ((and (char=? c #\|) (eqv? ($peek-char p) #\#))
             ($get-char p)
             (unless (= depth 1) (loop (- depth 1))))
            ((and (char=? c #\#) (eqv? ($peek-char p) #\|))
             ($get-char p)
             (loop (+ depth 1)))
            (else (loop depth))))))

;; The characters up to the next delimiter, as a string.
(define ($read-token p)
  (let loop ((chars '()))
    (let ((c ($peek-char p)))
      (if ($delimiter? c)
          (list->string (reverse chars))
          (begin ($get-char p) (loop (cons c chars)))))))

(define $closing (list 'closing))
(define $dot (list 'dot))

;; The next datum; $closing at a closing parenthesis (carrying it), $dot at a lone dot.
(define ($read-item p)
  (let ((c ($skip-atmosphere p)))
    (cond ((eof-object? c) c)
          ((memv c '(#\( #\[)) ($get-char p) ($read-list-tail p (if (char=? c #\() #\) #\])))
          ((memv c '(#\) #\])) ($get-char p) (cons $closing c))
          ((memv c '(#\' #\` #\,))
           ($get-char p)
           ($read-prefixed p c '(quote quasiquote unquote unquote-splicing)))
          ((char=? c #\") ($get-char p) ($read-string-literal p))
          ((char=? c #\#) ($get-char p) ($read-hash p))
          ((char=? c #\|) ($get-char p) (string->symbol ($read-bar-symbol p)))
          (else
           (let ((token ($read-token p)))
             (cond ((string=? token ".") $dot)
                   ((string->number token))
                   (else (string->symbol token))))))))

;; After the prefix ' ` , or ,@ (`c`, its first character, already read): the abbreviation,
;; named by `names` in that order.
(define ($read-prefixed p c names)
  (cond ((char=? c #\') ($read-abbreviation p (car names)))
        ((char=? c #\`) ($read-abbreviation p (cadr names)))
        ((eqv? ($peek-char p) #\@) ($get-char p) ($read-abbreviation p (cadddr names)))
        (else ($read-abbreviation p (caddr names)))))

(define ($read-abbreviation p name)
  (let ((datum ($read-datum p)))
    (if (eof-object? datum)
        ($read-error p "end of input after an abbreviation" name)
        (list name datum))))

;; A datum, where a closing parenthesis or a dot is an error.
(define ($read-datum p)
  (let ((x ($read-item p)))
    (cond ((eq? x $dot) ($read-error p "unexpected dot"))
          ((and (pair? x) (eq? (car x) $closing)) ($read-error p "unexpected closing parenthesis" (cdr x)))
          (else x))))

(define ($read-list-tail p close)
  (let loop ((items '()))
    (let ((x ($read-item p)))
      (cond ((eof-object? x) ($read-error p "end of input in a list"))
            ((and (pair? x) (eq? (car x) $closing))
             (unless (char=? (cdr x) close) ($read-error p "mismatched closing parenthesis" (cdr x)))
             (reverse items))
            ((eq? x $dot)
             (when (null? items) ($read-error p "a dot at the start of a list"))
             (let* ((tail ($read-datum p))
                    (end ($read-item p)))
               (when (eof-object? tail) ($read-error p "end of input in a list"))
               (unless (and (pair? end) (eq? (car end) $closing) (char=? (cdr end) close))
                 ($read-error p "expected the end of a dotted list"))
               (append (reverse items) tail)))
            (else (loop (cons x items)))))))

(define ($read-hash p)
  (let ((c ($peek-char p)))
    (cond ((eof-object? c) ($read-error p "end of input after #"))
          ((char=? c #\() ($get-char p) (list->vector ($read-list-tail p #\))))
          ((char=? c #\|) ($get-char p) ($skip-block-comment p) ($read-item p))
          ((char=? c #\;) ($get-char p) ($read-datum p) ($read-item p))
          ((char=? c #\!) ($get-char p) ($read-token p) ($read-item p))
          ((char=? c #\\) ($get-char p) ($read-character p))
          ((memv c '(#\' #\` #\,))
           ($get-char p)
           ($read-prefixed p c '(syntax quasisyntax unsyntax unsyntax-splicing)))
          (else
           (let ((token ($read-token p)))
             (cond ((member token '("t" "true")) #t)
                   ((member token '("f" "false")) #f)
                   ((and (member token '("vu8" "u8")) (eqv? ($peek-char p) #\())
                    ($get-char p)
                    (let ((bytes ($read-list-tail p #\))))
                      (unless (for-all (lambda (b) (and (fixnum? b) (<= 0 b 255))) bytes)
                        ($read-error p "invalid bytevector element" bytes))
                      (u8-list->bytevector bytes)))
                   ((string->number (string-append "#" token)))
                   (else ($read-error p "invalid # syntax" token))))))))

(define $character-names
  '(("space" . #\space) ("newline" . #\newline) ("linefeed" . #\newline) ("tab" . #\tab)
    ("nul" . #\x0) ("null" . #\x0) ("return" . #\return) ("alarm" . #\x7)
    ("backspace" . #\x8) ("delete" . #\x7f) ("rubout" . #\x7f) ("escape" . #\x1b)
    ("esc" . #\x1b) ("page" . #\xc) ("vtab" . #\xb)))

(define ($read-character p)
  (let* ((first ($get-char p))
         (rest (if (eof-object? first) "" ($read-token p))))
    (cond ((eof-object? first) ($read-error p "end of input in a character"))
          ((string=? rest "") first)
          ((assoc (string-append (string first) rest) $character-names) => cdr)
          ((and (char=? first #\x) (string->number rest 16))
           => (lambda (n) ($scalar->char p n)))
          (else ($read-error p "invalid character name" (string-append (string first) rest))))))

(define ($scalar->char p n)
  (if (and (exact-integer? n) (or (<= 0 n #xd7ff) (<= #xe000 n #x10ffff)))
      (integer->char n)
      ($read-error p "invalid character scalar value" n)))

;; \xHH; inside a string or |symbol| (the \x already read).
(define ($read-hex-escape p)
  (let loop ((digits '()))
    (let ((c ($get-char p)))
      (cond ((eof-object? c) ($read-error p "end of input in an escape"))
            ((char=? c #\;)
             (let ((n (string->number (list->string (reverse digits)) 16)))
               (if n ($scalar->char p n) ($read-error p "invalid hex escape"))))
            (else (loop (cons c digits)))))))

(define ($read-string-literal p)
  (let loop ((chars '()))
    (let ((c ($get-char p)))
      (cond ((eof-object? c) ($read-error p "end of input in a string"))
            ((char=? c #\") (list->string (reverse chars)))
            ((char=? c #\\)
             (let ((e ($get-char p)))
               (cond ((eof-object? e) ($read-error p "end of input in a string"))
                     ((assv e '((#\n . #\newline) (#\t . #\tab) (#\r . #\return) (#\a . #\x7)
                                (#\b . #\x8) (#\0 . #\x0) (#\v . #\xb) (#\f . #\xc)
                                (#\\ . #\\) (#\" . #\") (#\| . #\|)))
                      => (lambda (entry) (loop (cons (cdr entry) chars))))
                     ((char=? e #\x) (loop (cons ($read-hex-escape p) chars)))
                     ((memv e '(#\space #\tab #\newline #\return))
                      ;; A line continuation: skip to the end of the line and the next one's
                      ;; leading whitespace.
                      (let skip-line ((e e))
                        (unless (or (eof-object? e) (char=? e #\newline))
                          (skip-line ($get-char p))))
                      (let skip ()
                        (when (memv ($peek-char p) '(#\space #\tab))
                          ($get-char p)
                          (skip)))
                      (loop chars))
                     (else ($read-error p "invalid string escape" e)))))
            (else (loop (cons c chars)))))))

(define ($read-bar-symbol p)
  (let loop ((chars '()))
    (let ((c ($get-char p)))
      (cond ((eof-object? c) ($read-error p "end of input in a |symbol|"))
            ((char=? c #\|) (list->string (reverse chars)))
            ((char=? c #\\)
             (let ((e ($get-char p)))
               (cond ((eof-object? e) ($read-error p "end of input in a |symbol|"))
                     ((char=? e #\x) (loop (cons ($read-hex-escape p) chars)))
                     (else (loop (cons e chars))))))
            (else (loop (cons c chars)))))))

(define (read . port)
  ($read-datum ($input-port 'read port #f)))

(define (get-datum p)
  ($check-open-port 'get-datum p #t #f)
  ($read-datum p))
