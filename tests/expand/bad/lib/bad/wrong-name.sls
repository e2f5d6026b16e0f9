(library (bad other-name) (export) (import (rnrs)))
