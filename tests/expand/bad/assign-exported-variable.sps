(import (rnrs) (bad assigns-export))
(display x)
