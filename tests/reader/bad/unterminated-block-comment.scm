(a b)
#| never closed #| nested |#
(c d)
