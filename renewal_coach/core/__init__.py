"""Qt-free domain: entities, validation, money, and (later) scoring and timelines."""
