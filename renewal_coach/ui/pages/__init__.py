"""The main window's pages: portfolio, renewals, insights and the account workspace.

Each page is a self-contained widget that talks through signals; the main window only arranges
them. A page of several modules gets a subpackage of its own (``account/``, ``renewals/``).
"""
