"""Qt-free storage: opening and migrating the SQLite file, and repositories of dataclasses."""
