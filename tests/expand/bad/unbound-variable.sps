(import (rnrs))
(display undefined-thing)
