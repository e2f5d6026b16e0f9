#!r5rs
(a)
