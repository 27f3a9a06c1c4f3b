"""File kinds and their syntax, below both ``scan/`` and ``migrate/``.

``kinds``: the one table saying what a file is and what keyguard can do with it;
``rewriters/``: one module per migratable format; ``jsonspan``: JSON with byte spans;
``shells``: the assignments ``keyguard env`` prints for each shell.  Importing this package
costs nothing: each module is imported where it is used.
"""
