(import (only (rnrs base) car filter))
(car (list 1))
