(library (bad cycle-a) (export a) (import (rnrs) (bad cycle-b)) (define a b))
