"""Entry script of the PyInstaller bundle: the same as the ``backprop-gui`` command.

PyInstaller needs a script, not an entry point; keeping it this small means the bundle runs
exactly the code a developer runs with ``make run``.
"""

from __future__ import annotations

import sys

from backprop_gui.app import main

if __name__ == "__main__":
    sys.exit(main())
