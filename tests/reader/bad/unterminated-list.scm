(define (f x)
  (car x)
