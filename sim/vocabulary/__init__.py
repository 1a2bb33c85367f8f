"""Words and numbers for people: the figure registry, how figures are written, the message catalogues."""
