(list #z 1)
