(import (rnrs))
()
