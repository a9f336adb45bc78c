"""Developer tools run with ``python -m``; not imported by the app."""
