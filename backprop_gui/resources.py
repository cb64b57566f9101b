"""Find the shipped data folder (lessons, icons, help) wherever the app runs from.

Standard library only, so every layer may import it.

The folder is looked for, in this order:

1. a PyInstaller bundle: ``sys._MEIPASS/resources``;
2. an installed wheel: ``backprop_gui/resources_data`` (pyproject.toml force-includes the
   top-level ``resources/`` folder there);
3. a source checkout (also an editable install): ``<repo>/resources`` beside
   ``pyproject.toml``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates() -> list[Path]:
    """Places the resources folder may be, best first."""
    found: list[Path] = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        found.append(Path(meipass) / "resources")
    found.append(_PACKAGE_DIR / "resources_data")
    repo = _PACKAGE_DIR.parent
    if (repo / "pyproject.toml").is_file():
        found.append(repo / "resources")
    return found


def resources_dir() -> Path:
    """The resources folder; FileNotFoundError naming every place looked in if none exists."""
    candidates = _candidates()
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    looked = ", ".join(str(c) for c in candidates) or "(nowhere)"
    raise FileNotFoundError(
        "Backprop GUI cannot find its resources folder (lessons, icons, help). "
        f"Looked in: {looked}. Reinstall the application, or run it from a complete "
        "source checkout."
    )


def resource_path(*parts: str) -> Path:
    """Path of ``resources/<parts...>``, e.g. ``resource_path("lessons", "xor.toml")``.

    Only the resources folder itself must exist; whether the named file exists is for the
    caller to check (so that a caller can also build paths to list or probe).
    """
    return resources_dir().joinpath(*parts)
