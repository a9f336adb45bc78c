"""Entry script of the PyInstaller build (build.spec).

PyInstaller runs its entry script as ``__main__`` outside any package, so the package's own
``__main__.py`` (relative imports) cannot be it. This file imports the package absolutely.
"""

import sys

from renewal_coach.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
