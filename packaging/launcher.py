"""Entry script of the PyInstaller bundle: the same as the ``backprop-gui`` command.

PyInstaller needs a script, not an entry point; keeping it this small means the bundle runs
exactly the code a developer runs with ``make run``.

With ``BACKPROP_GUI_CHECK_IMPORTS=1`` in the environment it instead imports every module of
the app (and so everything they import: Qt modules, pyqtgraph's plot items, NumPy parts),
prints one line per failure and a summary, and exits 1 if any import failed. The app loads
some screens lazily, after the window is shown, so a module the spec left out of the bundle
would otherwise only surface when a student opens that screen; `make test-package` runs this.
"""

from __future__ import annotations

import os
import sys


def check_imports() -> int:
    import importlib
    import pkgutil
    import traceback

    import backprop_gui

    names = sorted(
        info.name
        for info in pkgutil.walk_packages(backprop_gui.__path__, "backprop_gui.")
        if not info.name.endswith("__main__")  # it starts the app
    )
    failed = 0
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - report every kind of failure
            failed += 1
            print(f"FAIL  import {name}:\n{traceback.format_exc()}")
    print(f"imports: {len(names) - failed} passed, {failed} failed")
    return 1 if failed or not names else 0


if __name__ == "__main__":
    if os.environ.get("BACKPROP_GUI_CHECK_IMPORTS") == "1":
        sys.exit(check_imports())
    from backprop_gui.app import main

    sys.exit(main())
