(library (bad lib-var2) (export counter) (import (rnrs)) (define counter 1))
