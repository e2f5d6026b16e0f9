(library (bad cycle-b) (export b) (import (rnrs) (bad cycle-a)) (define b 1))
