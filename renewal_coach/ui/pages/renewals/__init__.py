"""The renewals page: its tree model and filter, the page itself, and the mark-done dialog."""
