"""The whole program, started as a person (or an installer script) would, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("LANG", "C.UTF-8")
    # Keep the user's real settings out of reach (Qt puts INI files under XDG_CONFIG_HOME).
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return env


def _run(args: list[str], tmp_path: Path, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backprop_gui", *args], capture_output=True,
                          text=True, env=_env(tmp_path), timeout=timeout)


def test_screenshot_renders_a_full_window(tmp_path):
    from PySide6.QtGui import QImage

    png = tmp_path / "window.png"
    result = _run(["--screenshot", str(png), "--size", "1000x700"], tmp_path)
    assert result.returncode == 0, result.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1000, 700)
    counts: dict[int, int] = {}
    for y in range(0, 700, 5):
        for x in range(0, 1000, 5):
            rgb = image.pixel(x, y)
            counts[rgb] = counts.get(rgb, 0) + 1
    total = sum(counts.values())
    assert len(counts) > 200, f"only {len(counts)} distinct colours: an empty window?"
    assert max(counts.values()) / total < 0.6, "mostly one colour: an empty window?"


def test_screenshot_of_a_broken_file_fails_with_a_message(tmp_path):
    broken = tmp_path / "broken.bpnet"
    broken.write_text("{ not json")
    result = _run([str(broken), "--screenshot", str(tmp_path / "x.png")], tmp_path)
    assert result.returncode == 1
    assert "broken.bpnet" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_self_test_passes_and_prints_a_summary(tmp_path):
    result = _run(["--self-test"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("self-test: ") and lines[-1].endswith(" passed, 0 failed")
    assert any(line.startswith("ok    dataset digits01") for line in lines)
    assert any(line.startswith("ok    main window") for line in lines)
    assert any(line.startswith("ok    landscape: one step on the bowl exact") for line in lines)
    assert any(line.startswith("ok    user guide: ") for line in lines)
    assert any(line.startswith("ok    compare runs: 3 runs (Batch GD") for line in lines)


def test_self_test_with_a_broken_file_exits_1_naming_it(tmp_path):
    broken = tmp_path / "broken.bpnet"
    broken.write_text("[]")
    result = _run([str(broken), "--self-test"], tmp_path)
    assert result.returncode == 1
    assert "broken.bpnet" in result.stderr


def test_the_first_frame_does_not_wait_for_pyqtgraph(tmp_path):
    """pyqtgraph costs ~0.5 s to import; the Plots panel loads it only after the window paints."""
    env = _env(tmp_path)
    env["BACKPROP_GUI_EXIT_AFTER_SHOW"] = "1"
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    result = subprocess.run([sys.executable, "-m", "backprop_gui"], capture_output=True,
                            text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "shown pyqtgraph=False" in result.stdout
