"""The command line, ``python -m sim``: its subcommands, words and error reporting."""
