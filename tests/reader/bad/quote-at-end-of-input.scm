(a b) '
