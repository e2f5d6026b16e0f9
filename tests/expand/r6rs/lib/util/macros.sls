;; Exports a macro whose expansion refers to `helper`, which the library does not export, and
;; to `double`, which it imports.
(library (util macros)
  (export twice-plus-one)
  (import (rnrs) (only (util helpers) double))
  (define (helper x) (+ x 1))
  (define-syntax twice-plus-one
    (syntax-rules ()
      ((_ e) (helper (double e))))))
