;; An R6RS library that imports another user library.
(library (queue drain)
  (export drain)
  (import (rnrs base) (queue core))
  (define (drain q)
    (if (queue-empty? q)
        '()
        (let ((x (dequeue! q)))
          (cons x (drain q))))))
