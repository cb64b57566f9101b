"""backprop_gui.resources finds the resources folder from the source tree, a wheel or a bundle."""

import sys
from pathlib import Path

import pytest

from backprop_gui import resources
from backprop_gui.resources import resource_path, resources_dir

REPO = Path(__file__).resolve().parent.parent


def test_finds_resources_in_source_tree():
    assert resources_dir() == REPO / "resources"
    for sub in ("lessons", "icons", "help"):
        assert resource_path(sub).is_dir()


def test_resource_path_joins_parts():
    assert resource_path("lessons", "x.toml") == REPO / "resources" / "lessons" / "x.toml"


def test_pyinstaller_bundle_wins(monkeypatch, tmp_path):
    (tmp_path / "resources").mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"


def test_missing_folder_raises_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(resources, "_candidates", lambda: [tmp_path / "nope"])
    with pytest.raises(FileNotFoundError, match="cannot find its resources folder.*nope"):
        resource_path("lessons")
