(define s "abc
  def)
