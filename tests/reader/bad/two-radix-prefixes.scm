#x#b1
