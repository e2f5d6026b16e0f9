(import (rnrs) (bad cycle-a))
