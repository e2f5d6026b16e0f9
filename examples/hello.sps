;; A first program: loko compiles it to native code and runs it.
(import (rnrs))

(define (fib n)
  (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))

(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))

(let ((tmp 'first) (other 'second))
  (swap! tmp other)
  (display "Hello from loko! ")
  (write (list tmp other (fib 20)))
  (newline))
