;; Transformers that recurse deeply, escape with call/cc and re-enter a continuation: the
;; expand-time world runs them with the same stack segments and continuations as programs.
(import (rnrs))
(define-syntax deep
  (lambda (x)
    (define (count n) (if (= n 0) 0 (+ 1 (count (- n 1)))))
    (syntax-case x ()
      ((k n) (datum->syntax #'k (count (syntax->datum #'n)))))))
(display (deep 200000))
(newline)
(define-syntax escape
  (lambda (x)
    (define (count n k) (if (= n 0) (k 'escaped) (+ 1 (count (- n 1) k))))
    (syntax-case x ()
      ((kw n) (datum->syntax #'kw (list 'quote (call/cc (lambda (k) (count (syntax->datum #'n) k)))))))))
(display (escape 100000))
(newline)
(define-syntax reenter
  (lambda (x)
    (define saved #f)
    (define n 0)
    (define (deep d) (if (= d 0) (call/cc (lambda (k) (set! saved k) 0)) (+ 0 (deep (- d 1)))))
    (syntax-case x ()
      ((_) (let ((v (deep 50000)))
             (set! n (+ n 1))
             (if (< n 3) (saved n) (datum->syntax #'here (list 'quote (list v n)))))))))
(display (reenter))
(newline)
