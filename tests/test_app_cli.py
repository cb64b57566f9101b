"""The command line: --version answers without Qt; --screenshot renders a window offscreen."""

import os
import struct
import subprocess
import sys

from backprop_gui import __version__


def _env():
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("LANG", "C.UTF-8")
    return env


def test_version_flag_prints_version_and_exits_0():
    result = subprocess.run(
        [sys.executable, "-m", "backprop_gui", "--version"],
        capture_output=True, text=True, env=_env(), timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"backprop-gui {__version__}"


def test_version_is_the_packaged_one():
    assert __version__ == "0.1.0"


def test_version_flag_does_not_import_qt():
    code = (
        "import sys, io, contextlib\n"
        "from backprop_gui import app\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    rc = app.main(['--version'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(rc, out.getvalue().strip(), loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"0 backprop-gui {__version__} []"


def _png_size(path):
    with open(path, "rb") as f:
        header = f.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    return struct.unpack(">II", header[16:24])


def test_screenshot_writes_png_of_requested_size(tmp_path):
    target = tmp_path / "window.png"
    result = subprocess.run(
        [sys.executable, "-m", "backprop_gui", "--screenshot", str(target), "--size", "640x400"],
        capture_output=True, text=True, env=_env(), timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert _png_size(target) == (640, 400)


def test_bad_size_is_an_argument_error():
    result = subprocess.run(
        [sys.executable, "-m", "backprop_gui", "--size", "huge"],
        capture_output=True, text=True, env=_env(), timeout=60,
    )
    assert result.returncode == 2
    assert "WIDTHxHEIGHT" in result.stderr


def test_a_named_pipe_on_the_command_line_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.bpnet"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "backprop_gui", str(fifo), "--screenshot", str(tmp_path / "x.png")],
        capture_output=True, text=True, env=_env(), timeout=60,
    )
    assert result.returncode == 1
    assert f"“{fifo}” is not a regular file (it is a named pipe)" in result.stderr


def _screenshot(tmp_path, *extra):
    target = tmp_path / "window.png"
    result = subprocess.run(
        [sys.executable, "-m", "backprop_gui", "--screenshot", str(target), "--size", "800x500",
         *extra], capture_output=True, text=True, env=_env(), timeout=120)
    return result, target


def test_panel_brings_the_named_panel_to_the_front_of_the_screenshot(tmp_path):
    shots = {}
    for panel in (None, "steps", "PLOTS"):
        folder = tmp_path / str(panel)
        folder.mkdir()
        result, shots[panel] = _screenshot(folder, *(["--panel", panel] if panel else []))
        assert result.returncode == 0, result.stderr
        assert _png_size(shots[panel]) == (800, 500)
    # Steps is in front of Plots by default: naming Steps leaves the docks' side as it is
    # and naming Plots changes it. (Only that side: the diagram's moving dots differ by when
    # the picture was taken.)
    docks = {panel: _right_part(path) for panel, path in shots.items()}
    assert docks["steps"] == docks[None]
    assert docks["PLOTS"] != docks["steps"]


def _right_part(path) -> bytes:
    """The pixels of the right 30 % of a PNG, where the Steps and Plots docks are."""
    from PySide6.QtGui import QImage

    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    x = int(image.width() * 0.7)
    part = image.copy(x, 0, image.width() - x, image.height())   # kept alive while read
    return bytes(part.constBits())


def test_an_unknown_panel_is_an_error_listing_the_known_ones(tmp_path):
    result, target = _screenshot(tmp_path, "--panel", "nowhere")
    assert result.returncode == 2
    assert "unknown panel 'nowhere' (known: input, inspector, dataset, steps, plots" in result.stderr
    assert not target.exists()


def test_panel_without_screenshot_is_an_argument_error():
    result = subprocess.run([sys.executable, "-m", "backprop_gui", "--panel", "steps"],
                            capture_output=True, text=True, env=_env(), timeout=60)
    assert result.returncode == 2
    assert "--panel needs --screenshot" in result.stderr
