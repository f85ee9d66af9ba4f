"""SQLite, the embedded default, with writers that queue and readers that never wait for them.

`base.py` is the database backend (settings.DATABASES names it on SQLite); `middleware.py` tells it which requests
only read.
"""
