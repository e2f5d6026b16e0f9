(import (rnrs))
;; dynamic-wind checks its arguments are procedures.
(dynamic-wind (lambda () #f) 5 (lambda () #f))
