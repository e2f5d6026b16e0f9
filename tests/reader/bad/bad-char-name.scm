(list #\spac)
