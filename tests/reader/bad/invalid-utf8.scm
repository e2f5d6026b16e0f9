(display "cafÃ")
