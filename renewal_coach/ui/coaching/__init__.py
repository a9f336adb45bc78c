"""Conversation plans and the meetings they prepare: edit, present, capture.

The plan editor and an account's plan list, coaching mode (a plan presented full-screen), and the
capture dialog that turns what a meeting produced into records.
"""
