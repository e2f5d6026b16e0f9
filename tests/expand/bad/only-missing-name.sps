(import (only (rnrs) car no-such-name))
