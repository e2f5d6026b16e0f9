(import (rnrs) (bad lib-var))
(set! counter 1)
