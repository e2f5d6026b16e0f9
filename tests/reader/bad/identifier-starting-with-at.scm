(@foo)
