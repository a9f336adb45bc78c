"""Search Everything (Ctrl+K): find any record of any account by its words and open it."""

from __future__ import annotations

from .search_dialog import SearchDialog, SearchResultsModel, open_hit, search_action

__all__ = ["SearchDialog", "SearchResultsModel", "open_hit", "search_action"]
