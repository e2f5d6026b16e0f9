(import (rnrs))
(letrec ((f 1) (f 2)) f)
