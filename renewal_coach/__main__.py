"""Entry point for ``renewal-coach`` and ``python -m renewal_coach``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command line; without a command it opens the desktop app."""
    from .cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
