;; No clause of a case-lambda accepts two arguments.
(program ((case-lambda [(x) x] [(p q r) p]) (quote 1) (quote 2)))
