#e#i1
