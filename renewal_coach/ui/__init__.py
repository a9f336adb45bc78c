"""The desktop interface (PySide6). Pages, table models and dialogs; no storage rules live here."""
