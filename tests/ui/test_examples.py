"""Every script in examples/ builds its widget and paints it.

An example is one runnable script per widget (`python examples/inspector.py`). Each defines
`main() -> QWidget`, which builds the widget it shows without showing it, and starts the event
loop only under `if __name__ == "__main__":`. Here each is imported (in this process, with the
test's QApplication: a subprocess per script would cost a second of imports each), what
`main()` returns is shown offscreen and grabbed (which paints it and its children), then closed.
A script whose import, build or paint raises fails its test. Files whose name starts with "_"
are the examples' helpers, not examples.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
EXAMPLES = sorted(p for p in EXAMPLES_DIR.glob("*.py") if not p.name.startswith("_"))
MAIN_GUARD = 'if __name__ == "__main__":'


def test_there_are_examples():
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_builds_and_paints(path: Path, qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    # An example that builds a MainWindow reads the user's settings: give it empty ones.
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    monkeypatch.syspath_prepend(str(EXAMPLES_DIR))         # as `python examples/x.py` has
    source = path.read_text(encoding="utf-8")
    assert MAIN_GUARD in source, f"{path.name}: the event loop starts only under {MAIN_GUARD}"
    spec = importlib.util.spec_from_file_location(f"example_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(getattr(module, "main", None)), f"{path.name} defines no main()"

    widget = module.main()
    assert isinstance(widget, QWidget)
    qtbot.addWidget(widget)                                 # closed and deleted afterwards
    assert not widget.isVisible()                           # main() builds, __main__ shows
    widget.show()
    qtbot.waitExposed(widget)
    picture = widget.grab()                                 # paints it and its children
    assert not picture.isNull() and picture.width() > 50 and picture.height() > 50
