(import (rnrs) (bad lib-var) (bad lib-var2))
