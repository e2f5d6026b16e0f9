;; Procedures that macro transformers call at expand time (imported `(for ... expand)`).
(library (macro-helpers names)
  (export symbol-append make-accessor-names)
  (import (rnrs))
  (define (symbol-append . symbols)
    (string->symbol (apply string-append (map symbol->string symbols))))
  (define (make-accessor-names type fields)
    (map (lambda (field) (symbol-append type '- field)) fields)))
