;; An R7RS program using two define-library libraries.
(import (scheme base) (scheme write) (greet core) (greet names))
(greet-twice name)
(newline)
