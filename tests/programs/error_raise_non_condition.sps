;; Raising something that is not a condition, uncaught.
(import (rnrs))
(raise (list 'my-error 42))
