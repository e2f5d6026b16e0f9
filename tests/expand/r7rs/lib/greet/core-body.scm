(define (shout s) (string-append-3 s "!"))
(define (string-append-3 a b) (list a b))
(define-syntax greet-twice
  (syntax-rules ()
    ((_ who) (begin (display (shout who)) (display (shout who))))))
