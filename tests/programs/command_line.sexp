;; The program's arguments, after its name.
(program ((primitive write) ((primitive cdr) ((primitive command-line)))))
