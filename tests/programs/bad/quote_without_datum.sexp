;; A quote with no datum.
(program ((primitive display) (quote)))
