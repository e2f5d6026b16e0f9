(import (rnrs) (bad wrong-name))
