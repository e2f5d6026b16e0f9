;;; Ports and I/O: R6RS (rnrs io ports), (rnrs io simple), (rnrs files), R7RS's port
;;; procedures of (scheme base), (scheme file), (scheme write), and Loko's string ports. Part
;;; of the base library. ARCHITECTURE.md ("Ports") has the design.
;;;
;;; A port is a record of the opaque type `port` with a buffer: a string for a textual port, a
;;; bytevector for a binary one. An input port reads from its buffer between `pos` and `end`
;;; and calls its `fill` procedure when that is empty; an output port writes into its buffer at
;;; `pos` and calls its `drain` procedure with the buffered range when it is full, flushed or
;;; closed. The kinds of ports differ only in those procedures: a file descriptor (the `io`
;;; service, runtime/src/io.rs), a string or bytevector, a transcoder over a binary port,
;;; custom procedures. Textual output to a file descriptor is encoded in UTF-8 by the runtime;
;;; textual input is decoded here.
;;;
;;; Output to stdout is block-buffered; it is flushed by `exit`, at the end of the program
;;; (a last unit calls `$flush-output-ports`), before the report of an uncaught exception,
;;; before writing to stderr (which is not buffered) and before reading stdin.

;;; The port record. Fields (by index; the macros below name them):
(define $port-rtd
  (make-record-type-descriptor
   'port #f #f #t #t
   '#((mutable input?) (mutable output?) (mutable binary?) (mutable open?) (mutable buffer)
      (mutable pos) (mutable end) (mutable fill) (mutable drain) (mutable close)
      (mutable name) (mutable fd) (mutable mode) (mutable extra) (mutable position)
      (mutable set-position) (mutable inner))))

(define-syntax $define-port-fields
  (syntax-rules ()
    ((_ (ref set k) ...)
     (begin
       (begin
         (define-syntax ref (syntax-rules () ((_ p) ($record-ref p k))))
         (define-syntax set (syntax-rules () ((_ p v) ($record-set! p k v)))))
       ...))))

($define-port-fields
 ($port-input? $set-port-input! 0)
 ($port-output? $set-port-output! 1)
 ($port-binary? $set-port-binary! 2)
 ($port-open? $set-port-open! 3)
 ;; A string or a bytevector.
 ($port-buffer $set-port-buffer! 4)
 ;; Input: the next element to read. Output: the number of elements buffered.
 ($port-pos $set-port-pos! 5)
 ;; Input: the end of the buffered elements.
 ($port-end $set-port-end! 6)
 ;; Input: (fill port) puts elements in the buffer from 0 and returns their count, 0 at the end.
 ($port-fill $set-port-fill! 7)
 ;; Output: (drain buffer start end) takes the elements [start, end) of the buffer.
 ($port-drain $set-port-drain! 8)
 ;; A thunk run once by close-port (after the output is drained), or #f.
 ($port-close $set-port-close! 9)
 ($port-name $set-port-name! 10)
 ;; The file descriptor of a port that reads or writes one, else #f.
 ($port-fd $set-port-fd! 11)
 ;; The buffer mode: block, line or none (none drains after every operation).
 ($port-mode $set-port-mode! 12)
 ;; A string or bytevector output port: its extraction procedure. A textual port: its transcoder.
 ($port-extra $set-port-extra! 13)
 ;; The position of the buffer's first element: elements drained or filled before it.
 ($port-position $set-port-position! 14)
 ;; (set-position! n) for ports that can seek, else #f.
 ($port-set-position $set-port-set-position! 15)
 ;; A transcoded port: the binary port under it.
 ($port-inner $set-port-inner! 16))

(define ($make-port input? output? binary? buffer fill drain close name)
  ($record $port-rtd input? output? binary? #t buffer 0 (if input? 0 #f) fill drain close name
           #f 'block #f 0 #f #f))

(define (port? x) (and ($record? x) (eq? ($record-rtd x) $port-rtd)))
(define (input-port? x) (and (port? x) ($port-input? x)))
(define (output-port? x) (and (port? x) ($port-output? x)))
(define (textual-port? x) (and (port? x) (not ($port-binary? x))))
(define (binary-port? x) (and (port? x) ($port-binary? x)))
(define (input-port-open? p) ($check-port 'input-port-open? p) (and ($port-input? p) ($port-open? p)))
(define (output-port-open? p)
  ($check-port 'output-port-open? p)
  (and ($port-output? p) ($port-open? p)))

(define ($check-port who p)
  (unless (port? p) (assertion-violation who "not a port" p)))

;; Checks that `p` is an open port for input (`input?`) or output, textual or binary
;; (`binary?`: #t, #f, or any for either).
(define ($check-open-port who p input? binary?)
  (unless (and (port? p)
               (if input? ($port-input? p) ($port-output? p))
               (or (eq? binary? 'any) (eq? binary? ($port-binary? p))))
    (assertion-violation who
                         (string-append "not a "
                                        (case binary? ((#t) "binary ") ((#f) "textual ") (else ""))
                                        (if input? "input port" "output port"))
                         p))
  (unless ($port-open? p) (assertion-violation who "the port is closed" p)))

(define (eof-object) ($io 8 0 0 0 0))
(define (eof-object? x) (eq? x (eof-object)))

;;; Errors: the `io` service returns -errno, which becomes an &i/o condition.

(define ($errno-message errno)
  (case errno
    ((1 13) "permission denied")
    ((2) "no such file or directory")
    ((9) "bad file descriptor")
    ((17) "file already exists")
    ((21) "is a directory")
    ((20) "not a directory")
    ((28) "no space left on device")
    ((30) "read-only file system")
    ((32) "broken pipe")
    ((36) "file name too long")
    (else (string-append "system error " (number->string errno)))))

;; Raises the &i/o condition for the error `errno` of an operation on the file `filename`
;; (#f if none) or the port `port` (#f if none).
(define ($raise-i/o-error who errno filename port)
  (raise
   (condition
    (cond ((not filename) (if port (make-i/o-port-error port) (make-i/o-error)))
          ((= errno 2) (make-i/o-file-does-not-exist-error filename))
          ((= errno 17) (make-i/o-file-already-exists-error filename))
          ((= errno 30) (make-i/o-file-is-read-only-error filename))
          ((memv errno '(1 13)) (make-i/o-file-protection-error filename))
          (else (make-i/o-filename-error filename)))
    (make-who-condition who)
    (make-message-condition ($errno-message errno))
    (make-irritants-condition (list (or filename port))))))

;; The result `n` of the `io` service, raising the error it reports.
(define ($io-result who n filename port)
  (if (< n 0) ($raise-i/o-error who (- n) filename port) n))

;;; Output.

(define ($flush-port p)
  (let ((n ($port-pos p)))
    (when (> n 0)
      ;; Empty the buffer first, so that an error in `drain` does not drain it again.
      ($set-port-pos! p 0)
      ($set-port-position! p (+ ($port-position p) n))
      (($port-drain p) ($port-buffer p) 0 n))))

;; After an operation: a port in buffer mode none drains at once.
(define-syntax $after-output
  (syntax-rules ()
    ((_ p) (unless (eq? ($port-mode p) 'block) ($flush-port p)))))

;; Defines (put-one p x), which puts one element into the port's buffer, and
;; (put-range p from start end), which copies the elements [start, end) of `from` into it,
;; draining as it fills: for strings (textual ports) and for bytevectors (binary ports).
(define-syntax $define-puts
  (syntax-rules ()
    ((_ put-one put-range length ref store!)
     (begin
       (define (put-one p x)
         (when (= ($port-pos p) (length ($port-buffer p))) ($flush-port p))
         (store! ($port-buffer p) ($port-pos p) x)
         ($set-port-pos! p (+ ($port-pos p) 1)))
       (define (put-range p from start end)
         (let loop ((start start))
           (when (< start end)
             (let* ((buffer ($port-buffer p))
                    (pos ($port-pos p))
                    (room (- (length buffer) pos))
                    (n (if (< (- end start) room) (- end start) room)))
               (if (= n 0)
                   (begin ($flush-port p) (loop start))
                   (begin
                     ($copy! 'put-range ref store! (length buffer) buffer pos from start (+ start n))
                     ($set-port-pos! p (+ pos n))
                     (loop (+ start n))))))))))))

($define-puts $put-char $put-string string-length string-ref string-set!)
($define-puts $put-u8 $put-bytes bytevector-length bytevector-u8-ref bytevector-u8-set!)

;; `display` (`write` when `write?`) of `obj` to the textual output port `p`: printed by the
;; runtime straight into the buffer when it fits, through a fresh string when it does not.
(define ($print p obj write?)
  (cond ((and (string? obj) (not write?)) ($put-string p obj 0 (string-length obj)))
        ((and (char? obj) (not write?)) ($put-char p obj))
        (else
         (let ((end ($print-to-string obj write? ($port-buffer p) ($port-pos p))))
           (if end
               ($set-port-pos! p end)
               (let ((text ($print-to-string obj write? #f 0)))
                 ($put-string p text 0 (string-length text)))))))
  ($after-output p))

(define ($output-port who args)
  (let ((p (if (pair? args) (car args) (current-output-port))))
    ($check-open-port who p #f #f)
    p))

(define (display obj . port) ($print ($output-port 'display port) obj #f))
(define (write obj . port) ($print ($output-port 'write port) obj #t))
;; Cycles are not detected by the printer yet: write-shared prints what write prints.
(define (write-shared obj . port) ($print ($output-port 'write-shared port) obj #t))
(define (write-simple obj . port) ($print ($output-port 'write-simple port) obj #t))

(define (newline . port)
  (let ((p ($output-port 'newline port)))
    ($put-char p #\newline)
    ($after-output p)))

(define (write-char c . port)
  ($check-char 'write-char c)
  (let ((p ($output-port 'write-char port)))
    ($put-char p c)
    ($after-output p)))

(define (put-char p c)
  ($check-open-port 'put-char p #f #f)
  ($check-char 'put-char c)
  ($put-char p c)
  ($after-output p))

;; The [start, end) of an R6RS (start count) range over a sequence of length `len`.
(define ($start+count who len args)
  (let* ((start (if (pair? args) (car args) 0))
         (count (if (and (pair? args) (pair? (cdr args))) (cadr args) (- len start))))
    (unless (and (exact-integer? start) (exact-integer? count) (<= 0 start)
                 (<= 0 count) (<= (+ start count) len))
      (assertion-violation who "invalid range" start count))
    (cons start (+ start count))))

(define (write-string s . args)
  ($check-string 'write-string s)
  (let ((p ($output-port 'write-string args))
        (r ($range 'write-string (string-length s) (if (pair? args) (cdr args) '()))))
    ($put-string p s (car r) (cdr r))
    ($after-output p)))

(define (put-string p s . args)
  ($check-open-port 'put-string p #f #f)
  ($check-string 'put-string s)
  (let ((r ($start+count 'put-string (string-length s) args)))
    ($put-string p s (car r) (cdr r))
    ($after-output p)))

(define (put-datum p obj)
  ($check-open-port 'put-datum p #f #f)
  ($print p obj #t))

(define ($check-byte who b)
  (unless (and (fixnum? b) (<= 0 b 255)) (assertion-violation who "not a byte" b)))

(define (put-u8 p b)
  ($check-open-port 'put-u8 p #f #t)
  ($check-byte 'put-u8 b)
  ($put-u8 p b)
  ($after-output p))

(define (write-u8 b . port)
  ($check-byte 'write-u8 b)
  (let ((p (if (pair? port) (car port) (current-output-port))))
    ($check-open-port 'write-u8 p #f #t)
    ($put-u8 p b)
    ($after-output p)))

(define (put-bytevector p bv . args)
  ($check-open-port 'put-bytevector p #f #t)
  ($check-bytevector 'put-bytevector bv)
  (let ((r ($start+count 'put-bytevector (bytevector-length bv) args)))
    ($put-bytes p bv (car r) (cdr r))
    ($after-output p)))

(define (write-bytevector bv . args)
  ($check-bytevector 'write-bytevector bv)
  (let ((p (if (pair? args) (car args) (current-output-port)))
        (r ($range 'write-bytevector (bytevector-length bv) (if (pair? args) (cdr args) '()))))
    ($check-open-port 'write-bytevector p #f #t)
    ($put-bytes p bv (car r) (cdr r))
    ($after-output p)))

(define (flush-output-port . port)
  (let ((p (if (pair? port) (car port) (current-output-port))))
    ($check-open-port 'flush-output-port p #f 'any)
    ($flush-port p)))

(define (output-port-buffer-mode p)
  ($check-open-port 'output-port-buffer-mode p #f 'any)
  ($port-mode p))

;;; Input.

;; Refills an input port's empty buffer; returns the number of elements now buffered.
(define ($fill-port p)
  ($set-port-position! p (+ ($port-position p) ($port-end p)))
  ($set-port-pos! p 0)
  ($set-port-end! p 0)
  (let ((n (($port-fill p) p)))
    ($set-port-end! p n)
    n))

(define-syntax $define-reader
  (syntax-rules ()
    ;; (name ref consume?): reads (or peeks at) the next element, the eof object at the end.
    ((_ name ref consume?)
     (define (name p)
       (if (< ($port-pos p) ($port-end p))
           (let ((x (ref ($port-buffer p) ($port-pos p))))
             (when consume? ($set-port-pos! p (+ ($port-pos p) 1)))
             x)
           (if (= ($fill-port p) 0)
               (eof-object)
               (let ((x (ref ($port-buffer p) 0)))
                 (when consume? ($set-port-pos! p 1))
                 x)))))))

($define-reader $get-char string-ref #t)
($define-reader $peek-char string-ref #f)
($define-reader $get-u8 bytevector-u8-ref #t)
($define-reader $peek-u8 bytevector-u8-ref #f)

(define ($input-port who args binary?)
  (let ((p (if (pair? args) (car args) (current-input-port))))
    ($check-open-port who p #t binary?)
    p))

(define (read-char . port) ($get-char ($input-port 'read-char port #f)))
(define (peek-char . port) ($peek-char ($input-port 'peek-char port #f)))
(define (get-char p) ($check-open-port 'get-char p #t #f) ($get-char p))
(define (lookahead-char p) ($check-open-port 'lookahead-char p #t #f) ($peek-char p))
(define (read-u8 . port) ($get-u8 ($input-port 'read-u8 port #t)))
(define (peek-u8 . port) ($peek-u8 ($input-port 'peek-u8 port #t)))
(define (get-u8 p) ($check-open-port 'get-u8 p #t #t) ($get-u8 p))
(define (lookahead-u8 p) ($check-open-port 'lookahead-u8 p #t #t) ($peek-u8 p))

;; Whether a read would not block: something is buffered, or the source says so.
(define ($ready? p)
  (or (< ($port-pos p) ($port-end p))
      (not ($port-fd p))
      (= ($io 7 ($port-fd p) 0 0 0) 1)))

(define (char-ready? . port)
  (let ((p ($input-port 'char-ready? port #f)))
    (or (< ($port-pos p) ($port-end p))
        ($ready? (or ($port-inner p) p)))))

(define (u8-ready? . port) ($ready? ($input-port 'u8-ready? port #t)))

(define (port-eof? p)
  ($check-open-port 'port-eof? p #t 'any)
  (eof-object? (if ($port-binary? p) ($peek-u8 p) ($peek-char p))))

;; Up to `k` characters as a string, fewer at the end; the eof object when there are none.
(define ($get-string p k)
  (let loop ((i 0) (chars '()))
    (if (= i k)
        (list->string (reverse chars))
        (let ((c ($get-char p)))
          (if (eof-object? c)
              (if (= i 0) c (list->string (reverse chars)))
              (loop (+ i 1) (cons c chars)))))))

(define ($check-count who k)
  (unless (and (exact-integer? k) (>= k 0)) (assertion-violation who "not a valid count" k)))

(define (read-string k . port)
  ($check-count 'read-string k)
  ($get-string ($input-port 'read-string port #f) k))

(define (get-string-n p k)
  ($check-open-port 'get-string-n p #t #f)
  ($check-count 'get-string-n k)
  ($get-string p k))

(define (get-string-n! p s start k)
  ($check-open-port 'get-string-n! p #t #f)
  ($check-string 'get-string-n! s)
  (let ((r ($start+count 'get-string-n! (string-length s) (list start k))))
    (let loop ((i (car r)))
      (if (= i (cdr r))
          k
          (let ((c ($get-char p)))
            (if (eof-object? c)
                (if (= i start) c (- i start))
                (begin (string-set! s i c) (loop (+ i 1)))))))))

(define (get-string-all p)
  ($check-open-port 'get-string-all p #t #f)
  (let loop ((chunks '()))
    (let ((s ($get-string p 4096)))
      (cond ((eof-object? s)
             (if (null? chunks) s (apply string-append (reverse chunks))))
            (else (loop (cons s chunks)))))))

;; A line without its newline; the eof object at the end.
(define ($get-line p)
  (let loop ((chars '()))
    (let ((c ($get-char p)))
      (cond ((eof-object? c) (if (null? chars) c (list->string (reverse chars))))
            ((char=? c #\newline) (list->string (reverse chars)))
            (else (loop (cons c chars)))))))

(define (read-line . port) ($get-line ($input-port 'read-line port #f)))
(define (get-line p) ($check-open-port 'get-line p #t #f) ($get-line p))

;; Up to `k` bytes as a bytevector, fewer at the end; the eof object when there are none.
(define ($get-bytevector p k)
  (let loop ((i 0) (bytes '()))
    (if (= i k)
        (u8-list->bytevector (reverse bytes))
        (let ((b ($get-u8 p)))
          (if (eof-object? b)
              (if (= i 0) b (u8-list->bytevector (reverse bytes)))
              (loop (+ i 1) (cons b bytes)))))))

(define (read-bytevector k . port)
  ($check-count 'read-bytevector k)
  ($get-bytevector ($input-port 'read-bytevector port #t) k))

(define (get-bytevector-n p k)
  ($check-open-port 'get-bytevector-n p #t #t)
  ($check-count 'get-bytevector-n k)
  ($get-bytevector p k))

;; Reads into bv[start, end) and returns the count, or the eof object if none was read.
(define ($get-bytevector! p bv start end)
  (let loop ((i start))
    (if (= i end)
        (- end start)
        (let ((b ($get-u8 p)))
          (if (eof-object? b)
              (if (= i start) b (- i start))
              (begin (bytevector-u8-set! bv i b) (loop (+ i 1))))))))

(define (get-bytevector-n! p bv start k)
  ($check-open-port 'get-bytevector-n! p #t #t)
  ($check-bytevector 'get-bytevector-n! bv)
  (let ((r ($start+count 'get-bytevector-n! (bytevector-length bv) (list start k))))
    ($get-bytevector! p bv (car r) (cdr r))))

(define (read-bytevector! bv . args)
  ($check-bytevector 'read-bytevector! bv)
  (let ((p ($input-port 'read-bytevector! args #t))
        (r ($range 'read-bytevector! (bytevector-length bv) (if (pair? args) (cdr args) '()))))
    (if (= (car r) (cdr r)) 0 ($get-bytevector! p bv (car r) (cdr r)))))

;; What is buffered, or else what one fill brings.
(define (get-bytevector-some p)
  ($check-open-port 'get-bytevector-some p #t #t)
  (if (and (= ($port-pos p) ($port-end p)) (= ($fill-port p) 0))
      (eof-object)
      (let ((bv (bytevector-copy ($port-buffer p) ($port-pos p) ($port-end p))))
        ($set-port-pos! p ($port-end p))
        bv)))

(define (get-bytevector-all p)
  ($check-open-port 'get-bytevector-all p #t #t)
  (let loop ((chunks '()))
    (let ((bv (get-bytevector-some p)))
      (if (eof-object? bv)
          (if (null? chunks) bv (apply bytevector-append (reverse chunks)))
          (loop (cons bv chunks))))))

;;; Closing.

(define (close-port p)
  ($check-port 'close-port p)
  (when ($port-open? p)
    (when ($port-output? p) ($flush-port p))
    ($set-port-open! p #f)
    (set! $open-output-ports (remq p $open-output-ports))
    (let ((close ($port-close p)))
      (when close (close)))))

(define (close-input-port p)
  (unless (input-port? p) (assertion-violation 'close-input-port "not an input port" p))
  (close-port p))

(define (close-output-port p)
  (unless (output-port? p) (assertion-violation 'close-output-port "not an output port" p))
  (close-port p))

(define (call-with-port p proc)
  ($check-port 'call-with-port p)
  ($check-procedure 'call-with-port proc)
  (call-with-values (lambda () (proc p))
    (lambda vals (close-port p) (apply values vals))))

;;; Positions.

(define (port-has-port-position? p) ($check-port 'port-has-port-position? p) #t)

(define (port-position p)
  ($check-port 'port-position p)
  (+ ($port-position p) ($port-pos p)))

(define (port-has-set-port-position!? p)
  ($check-port 'port-has-set-port-position!? p)
  (procedure? ($port-set-position p)))

(define (set-port-position! p n)
  ($check-port 'set-port-position! p)
  (unless (procedure? ($port-set-position p))
    (assertion-violation 'set-port-position! "the port cannot set its position" p))
  (unless (and (exact-integer? n) (>= n 0))
    (assertion-violation 'set-port-position! "not a valid position" n))
  (when ($port-output? p) ($flush-port p))
  ;; The buffer is emptied first; the port's procedure may fill it again.
  ($set-port-position! p n)
  ($set-port-pos! p 0)
  (when ($port-input? p) ($set-port-end! p 0))
  (($port-set-position p) n))

;;; File descriptors: the standard ports and files.

;; The fd output ports not yet closed, flushed at the end of the program.
(define $open-output-ports '())

(define ($fd-output-port fd name binary? mode)
  (let ((p ($make-port #f #t binary?
                       (if binary? (make-bytevector 4096 0) (make-string 4096 #\space))
                       #f
                       (if binary?
                           (lambda (bv start end)
                             ($io-result 'write ($io 2 fd bv start end) #f name))
                           (lambda (s start end)
                             ($io-result 'write ($io 3 fd s start end) #f name)))
                       ($fd-closer fd)
                       name)))
    ($set-port-fd! p fd)
    ($set-port-mode! p mode)
    (set! $open-output-ports (cons p $open-output-ports))
    p))

(define ($fd-input-port fd name)
  (let ((p ($make-port #t #f #t (make-bytevector 4096 0)
                       (lambda (p)
                         (when (= fd 0) ($flush-port $stdout))
                         (let ((bv ($port-buffer p)))
                           ($io-result 'read ($io 1 fd bv 0 (bytevector-length bv)) #f name)))
                       #f
                       ($fd-closer fd)
                       name)))
    ($set-port-fd! p fd)
    p))

;; Closing a port over stdin, stdout or stderr leaves the descriptor open: in-process, it is
;; loko's own.
(define ($fd-closer fd)
  (and (> fd 2) (lambda () ($io 4 fd 0 0 0))))

(define ($flush-output-ports)
  (for-each (lambda (p) (when ($port-open? p) ($flush-port p))) $open-output-ports))

;;; Files. file-options are a list of symbols (R6RS's enum set, partially).

(define-syntax file-options
  (syntax-rules () ((_ option ...) '(option ...))))

(define-syntax buffer-mode
  (syntax-rules () ((_ mode) 'mode)))

(define (buffer-mode? x) (and (memq x '(none line block)) #t))

(define ($check-filename who name)
  (unless (string? name) (assertion-violation who "not a file name" name)))

;; Opens `filename` with the io service's flags (runtime/src/io.rs: 1 write, 2 create,
;; 4 exclusive, 8 truncate, 16 append), raising &i/o-filename conditions.
(define ($open-file who filename flags)
  ($check-filename who filename)
  ($io-result who ($io 0 filename flags 0 0) filename #f))

;; R6RS: without options, creating a file that exists is an error; no-fail truncates it,
;; no-create requires it, no-truncate keeps its contents.
(define ($output-flags options)
  (let ((no-create (memq 'no-create options))
        (no-fail (memq 'no-fail options))
        (no-truncate (memq 'no-truncate options)))
    (+ 1
       (if no-create 0 2)
       (if (or no-create no-fail) 0 4)
       (if no-truncate 0 8))))

(define ($file-input-port who filename transcoder)
  (let* ((fd ($open-file who filename 0))
         (p ($fd-input-port fd filename)))
    (if transcoder (transcoded-port p transcoder) p)))

(define ($file-output-port who filename flags transcoder mode)
  (let ((fd ($open-file who filename flags)))
    (if transcoder
        ($transcoded-fd-output-port fd filename transcoder mode)
        ($fd-output-port fd filename #t mode))))

;; Textual output to a file descriptor: UTF-8 is encoded by the runtime; another codec
;; goes through a binary port.
(define ($transcoded-fd-output-port fd filename transcoder mode)
  (if (eq? (transcoder-codec transcoder) 'utf-8)
      (let ((p ($fd-output-port fd filename #f mode)))
        ($set-port-extra! p transcoder)
        p)
      (transcoded-port ($fd-output-port fd filename #t mode) transcoder)))

(define open-file-input-port
  (case-lambda
    ((filename) (open-file-input-port filename (file-options)))
    ((filename options) (open-file-input-port filename options 'block))
    ((filename options mode) (open-file-input-port filename options mode #f))
    ((filename options mode transcoder)
     ($file-input-port 'open-file-input-port filename transcoder))))

(define open-file-output-port
  (case-lambda
    ((filename) (open-file-output-port filename (file-options)))
    ((filename options) (open-file-output-port filename options 'block))
    ((filename options mode) (open-file-output-port filename options mode #f))
    ((filename options mode transcoder)
     ($file-output-port 'open-file-output-port filename ($output-flags options) transcoder
                        mode))))

(define (open-input-file filename)
  ($file-input-port 'open-input-file filename (native-transcoder)))
(define (open-binary-input-file filename)
  ($file-input-port 'open-binary-input-file filename #f))
;; R7RS leaves an existing file's fate to the implementation: it is truncated, as in Chez.
(define (open-output-file filename)
  ($file-output-port 'open-output-file filename (+ 1 2 8) (native-transcoder) 'block))
(define (open-binary-output-file filename)
  ($file-output-port 'open-binary-output-file filename (+ 1 2 8) #f 'block))

(define (call-with-input-file filename proc)
  ($check-procedure 'call-with-input-file proc)
  (call-with-port (open-input-file filename) proc))

(define (call-with-output-file filename proc)
  ($check-procedure 'call-with-output-file proc)
  (call-with-port (open-output-file filename) proc))

(define (with-input-from-file filename thunk)
  ($check-procedure 'with-input-from-file thunk)
  (let ((p (open-input-file filename)))
    (call-with-values (lambda () (parameterize ((current-input-port p)) (thunk)))
      (lambda vals (close-port p) (apply values vals)))))

(define (with-output-to-file filename thunk)
  ($check-procedure 'with-output-to-file thunk)
  (let ((p (open-output-file filename)))
    (call-with-values (lambda () (parameterize ((current-output-port p)) (thunk)))
      (lambda vals (close-port p) (apply values vals)))))

(define (file-exists? filename)
  ($check-filename 'file-exists? filename)
  (= ($io 6 filename 0 0 0) 0))

(define (delete-file filename)
  ($check-filename 'delete-file filename)
  ($io-result 'delete-file ($io 5 filename 0 0 0) filename #f)
  (if #f #f))

;;; String and bytevector ports.

(define (open-string-input-port s)
  ($check-string 'open-string-input-port s)
  (let ((p ($make-port #t #f #f s (lambda (p) 0) #f #f "string")))
    ($set-port-end! p (string-length s))
    ($set-port-set-position! p (lambda (n)
                                 (unless (<= n (string-length s))
                                   (assertion-violation 'set-port-position! "position out of range" n))
                                 ($set-port-buffer! p (substring s n (string-length s)))
                                 ($set-port-end! p (- (string-length s) n))))
    p))

(define (open-input-string s) (open-string-input-port s))

(define open-bytevector-input-port
  (case-lambda
    ((bv) (open-bytevector-input-port bv #f))
    ((bv transcoder)
     ($check-bytevector 'open-bytevector-input-port bv)
     (let ((p ($make-port #t #f #t bv (lambda (p) 0) #f #f "bytevector")))
       ($set-port-end! p (bytevector-length bv))
       (if transcoder (transcoded-port p transcoder) p)))))

(define (open-input-bytevector bv) (open-bytevector-input-port bv))

;; An output port accumulating into a list of chunks; `extra` is (get reset?).
(define ($accumulating-port binary?)
  (let* ((chunks '())
         (p ($make-port #f #t binary?
                        (if binary? (make-bytevector 256 0) (make-string 256 #\space))
                        #f
                        (lambda (buffer start end)
                          (set! chunks (cons (if binary?
                                                 (bytevector-copy buffer start end)
                                                 (substring buffer start end))
                                             chunks)))
                        #f
                        (if binary? "bytevector" "string"))))
    ($set-port-extra! p (lambda (reset?)
                          ($flush-port p)
                          (let ((all (apply (if binary? bytevector-append string-append)
                                            (reverse chunks))))
                            (set! chunks (if reset? '() (list all)))
                            all)))
    p))

(define (open-output-string) ($accumulating-port #f))
(define (open-output-bytevector) ($accumulating-port #t))

(define ($check-accumulating who p binary?)
  (unless (and (port? p) ($port-output? p) (eq? binary? ($port-binary? p))
               (procedure? ($port-extra p)))
    (assertion-violation who (if binary? "not a bytevector output port" "not a string output port")
                         p)))

(define (get-output-string p)
  ($check-accumulating 'get-output-string p #f)
  (($port-extra p) #f))

(define (get-output-bytevector p)
  ($check-accumulating 'get-output-bytevector p #t)
  (($port-extra p) #f))

(define (open-string-output-port)
  (let ((p ($accumulating-port #f)))
    (values p (lambda () (($port-extra p) #t)))))

(define open-bytevector-output-port
  (case-lambda
    (() (open-bytevector-output-port #f))
    ((transcoder)
     (let* ((p ($accumulating-port #t))
            (t (if transcoder (transcoded-port p transcoder) p)))
       (values t (lambda () ($flush-port t) (($port-extra p) #t)))))))

(define (call-with-string-output-port proc)
  ($check-procedure 'call-with-string-output-port proc)
  (let ((p ($accumulating-port #f)))
    (proc p)
    (($port-extra p) #t)))

(define call-with-bytevector-output-port
  (case-lambda
    ((proc) (call-with-bytevector-output-port proc #f))
    ((proc transcoder)
     ($check-procedure 'call-with-bytevector-output-port proc)
     (let ((p ($accumulating-port #t)))
       (if transcoder
           (let ((t (transcoded-port p transcoder)))
             (proc t)
             ($flush-port t))
           (proc p))
       (($port-extra p) #t)))))

;;; Custom ports (R6RS 8.2.4, 8.2.7, 8.2.10): the buffer drains into `write!` and fills from
;;; `read!`; a textual one keeps one character's buffer so that `read!` sees every request.

(define ($custom-input-port who binary? id read! get-position set-position! close)
  ($check-procedure who read!)
  (let ((p ($make-port #t #f binary? (if binary? (make-bytevector 4096 0) (make-string 4096 #\space))
                       (lambda (p)
                         (let* ((buffer ($port-buffer p))
                                (n (read! buffer 0 (if binary?
                                                       (bytevector-length buffer)
                                                       (string-length buffer)))))
                           (unless (and (exact-integer? n) (>= n 0))
                             (assertion-violation who "read! returned an invalid count" n))
                           n))
                       #f close id)))
    (when set-position! ($set-port-set-position! p set-position!))
    p))

(define ($custom-output-port who binary? id write! get-position set-position! close)
  ($check-procedure who write!)
  (let ((p ($make-port #f #t binary? (if binary? (make-bytevector 4096 0) (make-string 4096 #\space))
                       #f
                       (lambda (buffer start end)
                         (let loop ((start start))
                           (when (< start end)
                             (let ((n (write! buffer start (- end start))))
                               (unless (and (exact-integer? n) (> n 0))
                                 (assertion-violation who "write! returned an invalid count" n))
                               (loop (+ start n))))))
                       close id)))
    (when set-position! ($set-port-set-position! p set-position!))
    p))

(define (make-custom-binary-input-port id read! get-position set-position! close)
  ($custom-input-port 'make-custom-binary-input-port #t id read! get-position set-position! close))
(define (make-custom-textual-input-port id read! get-position set-position! close)
  ($custom-input-port 'make-custom-textual-input-port #f id read! get-position set-position! close))
(define (make-custom-binary-output-port id write! get-position set-position! close)
  ($custom-output-port 'make-custom-binary-output-port #t id write! get-position set-position!
                       close))
(define (make-custom-textual-output-port id write! get-position set-position! close)
  ($custom-output-port 'make-custom-textual-output-port #f id write! get-position set-position!
                       close))

;;; Transcoders: UTF-8 and Latin-1 codecs; the end-of-line style is none (lines end in
;;; linefeeds either way); decoding errors are replaced by U+FFFD.

(define $transcoder-rtd
  (make-record-type-descriptor 'transcoder #f #f #t #t
                               '#((immutable codec) (immutable eol) (immutable handling))))

(define ($transcoder? x) (and ($record? x) (eq? ($record-rtd x) $transcoder-rtd)))

(define (latin-1-codec) 'latin-1)
(define (utf-8-codec) 'utf-8)
(define (utf-16-codec) 'utf-16)

(define-syntax eol-style
  (syntax-rules () ((_ style) 'style)))
(define (native-eol-style) 'none)

(define-syntax error-handling-mode
  (syntax-rules () ((_ mode) 'mode)))

(define make-transcoder
  (case-lambda
    ((codec) (make-transcoder codec (native-eol-style) 'replace))
    ((codec eol) (make-transcoder codec eol 'replace))
    ((codec eol handling)
     (unless (memq codec '(utf-8 latin-1))
       (raise (condition (make-implementation-restriction-violation)
                         (make-who-condition 'make-transcoder)
                         (make-message-condition "unsupported codec")
                         (make-irritants-condition (list codec)))))
     ($record $transcoder-rtd codec eol handling))))

(define $native-transcoder ($record $transcoder-rtd 'utf-8 'none 'replace))
(define (native-transcoder) $native-transcoder)

(define ($check-transcoder who t)
  (unless ($transcoder? t) (assertion-violation who "not a transcoder" t)))
(define (transcoder-codec t) ($check-transcoder 'transcoder-codec t) ($record-ref t 0))
(define (transcoder-eol-style t) ($check-transcoder 'transcoder-eol-style t) ($record-ref t 1))
(define (transcoder-error-handling-mode t)
  ($check-transcoder 'transcoder-error-handling-mode t)
  ($record-ref t 2))

(define (port-file-descriptor p)
  ($check-port 'port-file-descriptor p)
  ($port-fd (or ($port-inner p) p)))

(define (port-transcoder p)
  ($check-port 'port-transcoder p)
  (and (not ($port-binary? p)) ($transcoder? ($port-extra p)) ($port-extra p)))

;; The next character of the binary input port `b` in UTF-8: U+FFFD for a malformed
;; sequence (consuming its first byte and the continuation bytes that fit), eof at the end.
(define ($get-utf8-char b)
  (let ((b0 ($get-u8 b)))
    (cond ((eof-object? b0) b0)
          ((< b0 #x80) (integer->char b0))
          (else
           (let-values (((count acc low)
                         (cond ((<= #xc2 b0 #xdf) (values 1 (- b0 #xc0) #x80))
                               ((<= #xe0 b0 #xef) (values 2 (- b0 #xe0) #x800))
                               ((<= #xf0 b0 #xf4) (values 3 (- b0 #xf0) #x10000))
                               (else (values 0 #f 0)))))
             (let loop ((count count) (acc acc))
               (cond ((not acc) #\xfffd)
                     ((= count 0)
                      (if (or (< acc low) (> acc #x10ffff) (<= #xd800 acc #xdfff))
                          #\xfffd
                          (integer->char acc)))
                     (else
                      (let ((next ($peek-u8 b)))
                        (if (and (fixnum? next) (<= #x80 next #xbf))
                            (begin ($get-u8 b) (loop (- count 1) (+ (* acc 64) (- next #x80))))
                            #\xfffd))))))))))

;; Puts the UTF-8 encoding of `c` into the binary output port `b`.
(define ($put-utf8-char b c)
  (let ((n (char->integer c)))
    (cond ((< n #x80) ($put-u8 b n))
          ((< n #x800)
           ($put-u8 b (+ #xc0 (quotient n 64)))
           ($put-u8 b (+ #x80 (remainder n 64))))
          ((< n #x10000)
           ($put-u8 b (+ #xe0 (quotient n 4096)))
           ($put-u8 b (+ #x80 (remainder (quotient n 64) 64)))
           ($put-u8 b (+ #x80 (remainder n 64))))
          (else
           ($put-u8 b (+ #xf0 (quotient n 262144)))
           ($put-u8 b (+ #x80 (remainder (quotient n 4096) 64)))
           ($put-u8 b (+ #x80 (remainder (quotient n 64) 64)))
           ($put-u8 b (+ #x80 (remainder n 64)))))))

;; A textual port over the binary port `b`. Input decodes as many characters as `b` has
;; buffered (at least one, unless at the end), so that reading a line from a terminal does
;; not wait for more. R6RS closes `b` in a special way; here it stays usable (partial).
(define (transcoded-port b transcoder)
  ($check-port 'transcoded-port b)
  (unless ($port-binary? b) (assertion-violation 'transcoded-port "not a binary port" b))
  ($check-transcoder 'transcoded-port transcoder)
  (let* ((utf-8? (eq? (transcoder-codec transcoder) 'utf-8))
         (decode (if utf-8?
                     $get-utf8-char
                     (lambda (b) (let ((x ($get-u8 b))) (if (eof-object? x) x (integer->char x))))))
         (p (if ($port-input? b)
                ($make-port #t #f #f (make-string 1024 #\space)
                            (lambda (p)
                              (let ((buffer ($port-buffer p)))
                                (let loop ((i 0))
                                  (if (or (= i (string-length buffer))
                                          (and (> i 0) (= ($port-pos b) ($port-end b))))
                                      i
                                      (let ((c (decode b)))
                                        (if (eof-object? c)
                                            i
                                            (begin (string-set! buffer i c) (loop (+ i 1)))))))))
                            #f
                            (lambda () (close-port b))
                            ($port-name b))
                ($make-port #f #t #f (make-string 1024 #\space)
                            #f
                            (lambda (s start end)
                              (do ((i start (+ i 1)))
                                  ((= i end))
                                (let ((c (string-ref s i)))
                                  (if utf-8?
                                      ($put-utf8-char b c)
                                      ($put-u8 b (if (< (char->integer c) 256) (char->integer c) 63)))))
                              ($flush-port b))
                            (lambda () (close-port b))
                            ($port-name b)))))
    ($set-port-extra! p transcoder)
    ($set-port-mode! p ($port-mode b))
    ($set-port-inner! p b)
    p))

;;; Bytevectors and strings (rnrs bytevectors, R7RS).

(define (string->utf8 s . range)
  ($check-string 'string->utf8 s)
  (let ((r ($range 'string->utf8 (string-length s) range)))
    (call-with-bytevector-output-port
     (lambda (b)
       (do ((i (car r) (+ i 1)))
           ((= i (cdr r)))
         ($put-utf8-char b (string-ref s i)))))))

(define (utf8->string bv . range)
  ($check-bytevector 'utf8->string bv)
  (let* ((r ($range 'utf8->string (bytevector-length bv) range))
         (b (open-bytevector-input-port (bytevector-copy bv (car r) (cdr r)))))
    (let loop ((chars '()))
      (let ((c ($get-utf8-char b)))
        (if (eof-object? c)
            (list->string (reverse chars))
            (loop (cons c chars)))))))

(define (bytevector->string bv transcoder)
  ($check-bytevector 'bytevector->string bv)
  (let ((s (get-string-all (open-bytevector-input-port bv transcoder))))
    (if (eof-object? s) "" s)))

(define (string->bytevector s transcoder)
  ($check-string 'string->bytevector s)
  (call-with-bytevector-output-port (lambda (p) (put-string p s)) transcoder))

;;; The standard ports (last: they need the definitions above).

(define $stdout ($fd-output-port 1 "stdout" #f 'block))
;; Writing to stderr first flushes stdout, so that the two keep their order on a terminal.
(define $stderr
  (let ((p ($fd-output-port 2 "stderr" #f 'none)))
    ($set-port-drain! p (let ((drain ($port-drain p)))
                          (lambda (s start end) ($flush-port $stdout) (drain s start end))))
    p))
(define $stdin (transcoded-port ($fd-input-port 0 "stdin") (native-transcoder)))

(define ($check-textual-port-param who input?)
  (lambda (p)
    (unless (and (port? p) (if input? ($port-input? p) ($port-output? p)))
      (assertion-violation who (if input? "not an input port" "not an output port") p))
    p))

(define current-output-port
  (make-parameter $stdout ($check-textual-port-param 'current-output-port #f)))
(define current-error-port
  (make-parameter $stderr ($check-textual-port-param 'current-error-port #f)))
(define current-input-port
  (make-parameter $stdin ($check-textual-port-param 'current-input-port #t)))

(define (standard-output-port) ($fd-output-port 1 "stdout" #t 'block))
(define (standard-error-port) ($fd-output-port 2 "stderr" #t 'none))
(define (standard-input-port) ($fd-input-port 0 "stdin"))
