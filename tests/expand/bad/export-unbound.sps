(import (rnrs) (bad exports-unbound))
