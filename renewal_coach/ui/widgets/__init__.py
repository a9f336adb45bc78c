"""Widgets and looks that more than one page uses: the empty state, charts, score bands."""
