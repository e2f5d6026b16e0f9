(import (except (rnrs lists) set-car!))
