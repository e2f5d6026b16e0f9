(import (rnrs))
(display if)
