;; Unbounded non-tail recursion is a clean error, not a crash.
(program (letrec ([f (lambda (n) ((primitive +) (quote 1) (f n)))]) (f (quote 0))))
