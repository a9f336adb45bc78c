"""Dialogs the whole app shares: questions and messages, preferences, the record form.

Dialogs that belong to one feature live with it (the capture dialog in ``coaching/``, the
assessment dialog in ``assessments/``).
"""
