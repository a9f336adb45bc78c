"""The account workspace: the overview page, its record tabs and the stakeholder map."""
