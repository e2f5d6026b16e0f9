#e+inf.0
