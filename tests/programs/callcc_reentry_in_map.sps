(import (rnrs))
;; Re-entering a continuation captured inside map: each re-entry must build a fresh list and
;; leave the lists of earlier returns alone (R7RS 6.10, map).
(define k #f)
(define results '())
(define r (map (lambda (x) (if (= x 2) (call/cc (lambda (c) (set! k c) x)) x)) '(1 2 3)))
(set! results (cons r results))
(if (< (length results) 4) (k (* 10 (length results))))
(write (reverse results))
(newline)
;; The same with a map written as a plain recursion.
(define (rec-map f l) (if (null? l) '() (let ((v (f (car l)))) (cons v (rec-map f (cdr l))))))
(define k2 #f)
(define results2 '())
(define r2 (rec-map (lambda (x) (if (= x 3) (call/cc (lambda (c) (set! k2 c) x)) x)) '(1 2 3 4)))
(set! results2 (cons r2 results2))
(if (< (length results2) 3) (k2 (- (length results2))))
(write (reverse results2))
(newline)
;; Escaping from for-each and vector-for-each-style loops.
(write (call/cc (lambda (return) (for-each (lambda (x) (if (negative? x) (return x))) '(1 2 -3 4)) 'none)))
(newline)
