(import (rnrs))
(define trace '())
(define (note x) (set! trace (cons x trace)))
(define (show) (write (reverse trace)) (newline) (set! trace '()))
;; Normal entry and exit.
(dynamic-wind (lambda () (note 'before)) (lambda () (note 'during)) (lambda () (note 'after)))
(show)
;; Escape from inside.
(call/cc (lambda (k)
  (dynamic-wind (lambda () (note 'in)) (lambda () (k 'escaped) (note 'not-here)) (lambda () (note 'out)))))
(show)
;; Re-entry.
(define re #f)
(define n 0)
(dynamic-wind (lambda () (note 'enter))
              (lambda () (call/cc (lambda (k) (set! re k))) (note 'body))
              (lambda () (note 'exit)))
(set! n (+ n 1))
(if (< n 3) (re #f))
(show)
;; Jumping between two nests.
(define k2 #f)
(define jumped #f)
(dynamic-wind
  (lambda () (note 'a-in))
  (lambda ()
    (dynamic-wind
      (lambda () (note 'b-in))
      (lambda () (call/cc (lambda (k) (set! k2 k))))
      (lambda () (note 'b-out))))
  (lambda () (note 'a-out)))
(unless jumped
  (set! jumped #t)
  (dynamic-wind
    (lambda () (note 'c-in))
    (lambda () (dynamic-wind (lambda () (note 'd-in)) (lambda () (k2 'x)) (lambda () (note 'd-out))))
    (lambda () (note 'c-out))))
(show)
;; Values through dynamic-wind.
(call-with-values (lambda () (dynamic-wind (lambda () #f) (lambda () (values 1 2 3)) (lambda () #f)))
  (lambda (a b c) (write (list a b c)) (newline)))
