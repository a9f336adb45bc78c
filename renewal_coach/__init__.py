"""Renewal Coach: win back major contracts through engagement, not obsession."""

from __future__ import annotations

__version__ = "0.1.0"

APP_NAME = "Renewal Coach"
#: Used for the per-user data folder and the settings file.
APP_ID = "renewal-coach"
