;; apply given a non-list.
(program ((primitive apply) (primitive +) (quote 1) (quote 2)))
