"""`sensegrid demo`: the run (`runner`) and its live summary on the terminal (`screen`)."""
