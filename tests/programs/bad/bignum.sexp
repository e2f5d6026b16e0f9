;; A constant the backend cannot represent yet.
(program ((primitive display) (quote 100000000000000000000)))
