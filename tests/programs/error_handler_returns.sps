;; A handler that returns from a non-continuable raise: R6RS raises a &non-continuable
;; violation in the handler's dynamic environment, here uncaught.
(import (rnrs))
(display "before")
(newline)
(with-exception-handler
 (lambda (c) 'ignored)
 (lambda () (error 'careful "something bad" 42)))
(display "not reached")
