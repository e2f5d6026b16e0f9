(quotient 1/0 2)
