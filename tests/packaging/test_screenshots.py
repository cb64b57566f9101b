"""The screenshot script (packaging/make_screenshots.py) and docs/screenshots agree: the README
lists exactly the script's pictures, in its order, and each is committed. (The pictures are not
rendered here: that takes about a minute; `make screenshots` does it.)"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS_DIR = ROOT / "docs" / "screenshots"


def load_script():
    spec = importlib.util.spec_from_file_location("make_screenshots",
                                                  ROOT / "packaging" / "make_screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def listed_in_readme() -> list[str]:
    text = (SHOTS_DIR / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^- `([^`]+\.png)`", text, flags=re.MULTILINE)


def test_the_readme_lists_the_scripts_shots_in_order():
    names = [shot.name for shot in load_script().SHOTS]
    assert listed_in_readme() == names


def test_the_shots_cover_every_size_and_theme_and_presentation_mode():
    names = {shot.name for shot in load_script().SHOTS}
    for size in ("1024x600", "1280x800", "1920x1080"):
        for theme in ("light", "dark"):
            assert f"default-{size}-{theme}.png" in names
    for size in ("1280x800", "1920x1080"):
        for theme in ("light", "dark"):
            assert f"presentation-{size}-{theme}.png" in names


def test_every_listed_picture_is_committed_as_a_png_of_its_size():
    for name in listed_in_readme():
        data = (SHOTS_DIR / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert f"{width}x{height}" in name, name
