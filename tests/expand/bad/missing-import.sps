(display "no import")
