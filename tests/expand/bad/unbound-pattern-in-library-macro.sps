(import (rnrs))
(let-values (((a b) (values 1 2)) (c)) a)
