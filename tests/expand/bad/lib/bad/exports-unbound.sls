(library (bad exports-unbound)
  (export present missing)
  (import (rnrs))
  (define present 1))
