"""The This Week page: what needs the user in the next days, and everything overdue."""
