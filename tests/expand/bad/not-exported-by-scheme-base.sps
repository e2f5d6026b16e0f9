;; (scheme base) does not export R6RS-only names such as condition.
(import (scheme base))
(condition)
