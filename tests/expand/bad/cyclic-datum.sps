(import (rnrs))
(display (quote #0=(1 . #0#)))
