;; An R7RS library whose body is included from another file; it exports a macro that refers to
;; the unexported `shout`.
(define-library (greet core)
  (export greet-twice)
  (import (scheme base) (scheme write))
  (cond-expand
    ((and r7rs (not no-such-feature) (library (scheme base)))
     (include "core-body.scm"))
    (else
     (begin (define (shout s) s)))))
