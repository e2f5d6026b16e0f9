;;; (rnrs lists), (rnrs sorting) and the four-level c[ad]r compositions of (rnrs base) and
;;; (scheme cxr), in Scheme over base-procedures.scm. Follows the R6RS Standard Libraries text
;;; (chapters 3 and 4); wrong arguments raise assertion violations naming the procedure.

;;; Four-level pair accessors (R6RS 11.9, R7RS (scheme cxr)); car and cdr check for pairs.

(define (caaaar x) (car (car (car (car x)))))
(define (caaadr x) (car (car (car (cdr x)))))
(define (caadar x) (car (car (cdr (car x)))))
(define (caaddr x) (car (car (cdr (cdr x)))))
(define (cadaar x) (car (cdr (car (car x)))))
(define (cadadr x) (car (cdr (car (cdr x)))))
(define (caddar x) (car (cdr (cdr (car x)))))
(define (cdaaar x) (cdr (car (car (car x)))))
(define (cdaadr x) (cdr (car (car (cdr x)))))
(define (cdadar x) (cdr (car (cdr (car x)))))
(define (cdaddr x) (cdr (car (cdr (cdr x)))))
(define (cddaar x) (cdr (cdr (car (car x)))))
(define (cddadr x) (cdr (cdr (car (cdr x)))))
(define (cdddar x) (cdr (cdr (cdr (car x)))))

;;; (rnrs lists)

(define (find proc list)
  ($check-procedure 'find proc)
  ($check-list 'find list)
  (let loop ((l list))
    (cond ((null? l) #f)
          ((proc (car l)) (car l))
          (else (loop (cdr l))))))

;; The lists of `for-all`/`exists`, checked proper and of one length (R6RS 3: "the lists
;; should all have the same length").
(define ($check-same-length who lists)
  (for-each (lambda (l) ($check-list who l)) lists)
  (let ((n (length (car lists))))
    (for-each (lambda (l)
                (unless (= (length l) n)
                  (assertion-violation who "lists of different lengths" lists)))
              (cdr lists))))

;; R6RS: #t for empty lists, else the value of the last application, stopping at the first #f.
(define (for-all proc list . lists)
  ($check-procedure 'for-all proc)
  ($check-same-length 'for-all (cons list lists))
  (let loop ((ls (cons list lists)))
    (cond ((null? (car ls)) #t)
          ((null? (cdar ls)) (apply proc (map car ls)))
          (else (and (apply proc (map car ls)) (loop (map cdr ls)))))))

;; R6RS: #f for empty lists, else the first true value of an application.
(define (exists proc list . lists)
  ($check-procedure 'exists proc)
  ($check-same-length 'exists (cons list lists))
  (let loop ((ls (cons list lists)))
    (cond ((null? (car ls)) #f)
          ((null? (cdar ls)) (apply proc (map car ls)))
          (else (or (apply proc (map car ls)) (loop (map cdr ls)))))))

;; Two values: the elements for which `proc` is true and those for which it is false, each in
;; the order of `list`.
(define (partition proc list)
  ($check-procedure 'partition proc)
  ($check-list 'partition list)
  (let loop ((l list) (in '()) (out '()))
    (cond ((null? l) (values (reverse in) (reverse out)))
          ((proc (car l)) (loop (cdr l) (cons (car l) in) out))
          (else (loop (cdr l) in (cons (car l) out))))))

;; The elements of `list` for which `drop?` is false, in order.
(define ($remove who drop? list)
  ($check-list who list)
  (let loop ((l list) (acc '()))
    (cond ((null? l) (reverse acc))
          ((drop? (car l)) (loop (cdr l) acc))
          (else (loop (cdr l) (cons (car l) acc))))))

(define (remp proc list)
  ($check-procedure 'remp proc)
  ($remove 'remp proc list))
(define (remove obj list) ($remove 'remove (lambda (x) (equal? obj x)) list))
(define (remv obj list) ($remove 'remv (lambda (x) (eqv? obj x)) list))
(define (remq obj list) ($remove 'remq (lambda (x) (eq? obj x)) list))

(define (memp proc list)
  ($check-procedure 'memp proc)
  (let loop ((l list))
    (cond ((pair? l) (if (proc (car l)) l (loop (cdr l))))
          ((null? l) #f)
          (else (assertion-violation 'memp "not a proper list" list)))))

(define (assp proc alist)
  ($check-procedure 'assp proc)
  (let loop ((l alist))
    (cond ((pair? l)
           (let ((entry (car l)))
             (unless (pair? entry) (assertion-violation 'assp "not a pair" entry))
             (if (proc (car entry)) entry (loop (cdr l)))))
          ((null? l) #f)
          (else (assertion-violation 'assp "not a proper list" alist)))))

;; (cons* obj ... tail): the objects consed in front of `tail`; (cons* x) is x.
(define (cons* obj . rest)
  (let loop ((obj obj) (rest rest))
    (if (null? rest) obj (cons obj (loop (car rest) (cdr rest))))))

;;; (rnrs sorting): a stable merge sort. `less?` is a strict order; on ties the element that
;;; came first stays first.

;; Merges the sorted lists `a` and `b`, taking from `a` unless `b`'s head is strictly less.
(define ($merge less? a b)
  (let loop ((a a) (b b) (acc '()))
    (cond ((null? a) (append (reverse acc) b))
          ((null? b) (append (reverse acc) a))
          ((less? (car b) (car a)) (loop a (cdr b) (cons (car b) acc)))
          (else (loop (cdr a) b (cons (car a) acc))))))

;; Sorts the first `n` elements of `list`.
(define ($merge-sort less? list n)
  (if (<= n 1)
      (if (= n 0) '() (cons (car list) '()))
      (let ((half (quotient n 2)))
        ($merge less?
                ($merge-sort less? list half)
                ($merge-sort less? (list-tail list half) (- n half))))))

(define (list-sort less? list)
  ($check-procedure 'list-sort less?)
  ($check-list 'list-sort list)
  ($merge-sort less? list (length list)))

(define (vector-sort less? v)
  ($check-procedure 'vector-sort less?)
  ($check-vector 'vector-sort v)
  (list->vector ($merge-sort less? (vector->list v) (vector-length v))))

(define (vector-sort! less? v)
  ($check-procedure 'vector-sort! less?)
  ($check-vector 'vector-sort! v)
  (let loop ((i 0) (l ($merge-sort less? (vector->list v) (vector-length v))))
    (unless (null? l)
      (vector-set! v i (car l))
      (loop (+ i 1) (cdr l)))))
