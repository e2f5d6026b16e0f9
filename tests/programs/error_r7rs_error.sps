;; R7RS's error: a message, then irritants; no who.
(import (scheme base))
(error "value out of range:" 42 'x)
