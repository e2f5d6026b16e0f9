;; Asking for more memory than the heap has is a clean error.
(program ((primitive make-vector) (quote 1000000000) (quote 0)))
