(import (rnrs) (no such library))
