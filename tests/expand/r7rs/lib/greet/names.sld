(define-library (greet names)
  (export (rename default-name name))
  (import (scheme base))
  (begin (define default-name "world")))
