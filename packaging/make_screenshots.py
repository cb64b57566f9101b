"""Make the screenshots of the main window (docs/screenshots/*.png), offscreen.

    python packaging/make_screenshots.py [OUT_DIR]       # or: make screenshots
    python packaging/make_screenshots.py --only NAME …   # some of them (names as in SHOTS)

The default project at the three screen sizes a classroom meets (a cheap laptop at 1024×600,
1280×800, a projector or desktop at 1920×1080), in the light and the dark theme, and in
presentation mode (View ▸ Presentation Mode, F5, at its default zoom). Each picture is made in
a process of its own, so one theme, font or layout never leaks into the next; the settings are
a throwaway file, so the pictures do not depend on the machine's saved layout. They are opaque
PNGs at the highest compression (`save_small` of make_guide_screenshots.py).

docs/screenshots/README.md lists the pictures; tests/packaging/test_screenshots.py checks the
list there is SHOTS.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


class Shot(NamedTuple):
    mode: str          # "default" (the window as it opens) or "presentation"
    width: int
    height: int
    theme: str         # "light" or "dark"

    @property
    def name(self) -> str:
        return f"{self.mode}-{self.width}x{self.height}-{self.theme}.png"


SIZES = ((1024, 600), (1280, 800), (1920, 1080))
PRESENTATION_SIZES = ((1280, 800), (1920, 1080))
THEMES = ("light", "dark")
SHOTS = ([Shot("default", w, h, t) for w, h in SIZES for t in THEMES]
         + [Shot("presentation", w, h, t) for w, h in PRESENTATION_SIZES for t in THEMES])


def render(shot: Shot, out: Path) -> None:
    """Render `shot` into out/shot.name in this process (which must not have a QApplication)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from make_guide_screenshots import save_small

    from backprop_gui.app import _quiet_offscreen_warning
    from backprop_gui.ui.common.theme import Theme
    from backprop_gui.ui.window.main_window import MainWindow

    _quiet_offscreen_warning()
    app = QApplication(sys.argv[:1])
    Theme(app, shot.theme)

    from backprop_gui.ui.common.settle import settle

    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(os.path.join(tmp, "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, remember_layout=False)
        window.resize(shot.width, shot.height)
        window.show()
        settle()
        if shot.mode == "presentation":
            window.presentation.set_active(True)
            settle()
        window.view.fit_to_view()
        settle()
        save_small(window.grab().toImage(), out / shot.name)
        window.presentation.set_active(False)
        window.hide()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--render"]:          # the child process: one picture
        mode, size, theme = argv[1].removesuffix(".png").split("-")
        width, height = map(int, size.split("x"))
        render(Shot(mode, width, height, theme), Path(argv[2]))
        return 0
    only = set()
    if "--only" in argv:
        at = argv.index("--only")
        only, argv = set(argv[at + 1:]), argv[:at]
    out = Path(argv[0]) if argv else OUT
    out.mkdir(parents=True, exist_ok=True)
    shots = [s for s in SHOTS if not only or s.name in only]
    for shot in shots:
        subprocess.run([sys.executable, __file__, "--render", shot.name, str(out)],
                       check=True, cwd=ROOT)
        print(f"{shot.name:36} {(out / shot.name).stat().st_size / 1024:7.1f} KB")
    total = sum((out / s.name).stat().st_size for s in shots)
    print(f"{len(shots)} screenshots, {total / 1024:.0f} KB in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
