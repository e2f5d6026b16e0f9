;; An uncaught condition of a user-defined type: the report names its type.
(import (rnrs))
(define-condition-type &bad-input &error make-bad-input bad-input? (input bad-input-value))
(raise (condition (make-bad-input "xyz") (make-who-condition 'reader)
                  (make-message-condition "cannot read")))
