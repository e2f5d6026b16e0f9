(import (rnrs))
(let ((x)) x)
