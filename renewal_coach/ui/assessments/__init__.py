"""Self-assessments (DOMAIN.md 3.4): the questionnaire dialog and an account's history of them."""
