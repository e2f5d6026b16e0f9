;; A library whose constants, symbols and globals other units share at link time
;; (tests/programs/linking_across_units.sps).
(library (linking shared)
  (export shared-symbol shared-list bump! make-adder quoted-tree)
  (import (rnrs))
  (define (shared-symbol) 'linked-symbol)
  (define shared-list '(alpha beta "gamma" #(delta 1.5)))
  (define counter 0)
  (define (bump!) (set! counter (+ counter 1)) counter)
  (define (make-adder n) (lambda (x) (+ x n)))
  (define (quoted-tree) '((linked-symbol . 1) (alpha . 2))))
