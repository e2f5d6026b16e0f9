(library (bad lib-var) (export counter) (import (rnrs)) (define counter 0))
