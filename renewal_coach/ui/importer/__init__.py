"""File ▸ Import…: the wizard that brings CRM and spreadsheet exports in."""
