"""Qt-free output: charts (matplotlib figures) and Word documents."""
