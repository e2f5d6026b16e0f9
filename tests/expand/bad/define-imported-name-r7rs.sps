;; filter is not imported (only R6RS libraries give it), but car is, and an imported name
;; stays undefinable.
(import (scheme base))
(define (filter keep? xs) xs)
(define car filter)
