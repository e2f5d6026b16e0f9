(a'b)
