"""The packaging files agree with each other and with the app, without building anything.

The bundle and the .deb themselves are built and tested by `make test-package`; these checks
are the quick ones: the desktop entry, the MIME type, the AppStream data, the Windows and
macOS recipes, one version number, and the icon renderer.
"""

from __future__ import annotations

import configparser
import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import backprop_gui

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
APP_ID = "org.backpropgui.BackpropGUI"
MIME_TYPE = "application/x-backprop-gui-project"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
DESKTOP = LINUX / f"{APP_ID}.desktop"
MIME_XML = LINUX / f"{APP_ID}.xml"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
SPEC = PACKAGING / "backprop_gui.spec"
ISS = PACKAGING / "windows" / "backprop-gui.iss"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


# --- one version number ---------------------------------------------------------------------

def test_the_installed_package_carries_the_one_version():
    from importlib.metadata import version

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["dynamic"] == ["version"]
    assert backprop_gui.__version__ == version("backprop-gui")


def test_the_deb_version_follows_debian_ordering():
    build_deb = _load("build_deb", PACKAGING / "build_deb.py")
    assert build_deb.deb_version("0.1.0") == "0.1.0"
    # a release candidate must sort before the release in dpkg's ordering
    assert build_deb.deb_version("1.0rc1") == "1.0~rc1"
    assert build_deb.deb_version("2.1.0b3") == "2.1.0~b3"


def test_no_packaging_file_hard_codes_a_version():
    version = backprop_gui.__version__
    for path in [SPEC, ISS, METAINFO, PACKAGING / "build_deb.py", DESKTOP, MIME_XML]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(rf"(?<![\d.]){re.escape(version)}(?![\d.])", text), (
            f"{path.name} repeats the version {version}; it must come from backprop_gui/__init__.py"
        )
    assert "@VERSION@" in METAINFO.read_text(encoding="utf-8")


# --- Linux desktop integration --------------------------------------------------------------

def test_desktop_entry_opens_bpnet_files():
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "backprop-gui %f"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert "Education" in entry["Categories"].split(";")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (make package installs it)")
def test_desktop_entry_validates():
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_mime_type_declares_bpnet_as_json_with_the_project_tag():
    root = ET.parse(MIME_XML).getroot()
    mime = root.find(f"{MIME_NS}mime-type")
    assert mime is not None and mime.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == ["*.bpnet"]
    assert mime.find(f"{MIME_NS}sub-class-of").get("type") == "application/json"
    assert mime.find(f"{MIME_NS}icon").get("name") == APP_ID
    match = mime.find(f"{MIME_NS}magic/{MIME_NS}match")
    assert match.get("value") == '"backprop-gui-project"'


def test_mime_magic_finds_the_tag_in_a_saved_project():
    from backprop_gui.engine.projectfile import FORMAT_TAG, dumps_project
    from backprop_gui.session.session import default_project

    match = ET.parse(MIME_XML).getroot().find(f"{MIME_NS}mime-type/{MIME_NS}magic/{MIME_NS}match")
    end = int(match.get("offset").split(":")[1])
    assert match.get("value") == f'"{FORMAT_TAG}"'
    head = dumps_project(default_project()).encode("utf-8")[: end + len(match.get("value"))]
    assert match.get("value").encode() in head


@pytest.mark.skipif(shutil.which("update-mime-database") is None,
                    reason="update-mime-database (shared-mime-info) is not installed")
def test_mime_database_compiles_the_type(tmp_path):
    (tmp_path / "packages").mkdir()
    shutil.copy(MIME_XML, tmp_path / "packages")
    subprocess.run(["update-mime-database", str(tmp_path)], check=True, capture_output=True)
    assert f"{MIME_TYPE}:*.bpnet" in (tmp_path / "globs2").read_text()


def test_metainfo_names_the_desktop_file_and_the_file_type():
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.find("launchable").get("type") == "desktop-id"
    assert root.findtext("provides/binary") == "backprop-gui"
    assert root.findtext("provides/mediatype") == MIME_TYPE
    assert root.find("releases/release").get("version") == "@VERSION@"
    assert root.find("content_rating") is not None


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed")
def test_metainfo_validates(tmp_path):
    filled = METAINFO.read_text(encoding="utf-8").replace("@VERSION@", backprop_gui.__version__)
    filled = filled.replace("@DATE@", "2026-01-01")
    path = tmp_path / METAINFO.name
    path.write_text(filled, encoding="utf-8")
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_launcher_and_maintainer_scripts_are_executable_shell():
    for name in ["backprop-gui.sh", "postinst", "postrm"]:
        path = LINUX / name
        assert path.stat().st_mode & 0o111, f"{name} is not executable"
        assert path.read_text().startswith("#!/bin/sh\n")
        subprocess.run(["sh", "-n", str(path)], check=True)
    assert 'exec /opt/backprop-gui/backprop-gui "$@"' in (LINUX / "backprop-gui.sh").read_text()
    for name in ["postinst", "postrm"]:
        text = (LINUX / name).read_text()
        for tool in ["update-mime-database", "update-desktop-database", "gtk-update-icon-cache"]:
            assert f"command -v {tool}" in text, f"{name} calls {tool} without checking it exists"


def test_deb_builder_installs_files_under_the_app_id():
    build_deb = _load("build_deb", PACKAGING / "build_deb.py")
    assert build_deb.APP_ID == APP_ID
    assert build_deb.PACKAGE == "backprop-gui"
    for dep in ["libgl1", "libegl1", "libfontconfig1", "fonts-dejavu-core"]:
        assert dep in build_deb.DEPENDS


# --- the PyInstaller spec and the Windows / macOS recipes ------------------------------------

def test_spec_bundles_the_launcher_and_resources():
    text = SPEC.read_text(encoding="utf-8")
    assert 'packaging" / "launcher.py"' in text
    assert '(str(ROOT / "resources"), "resources")' in text  # where resources.py looks
    assert 'copy_metadata("backprop-gui")' in text  # the version travels in the metadata
    assert f'APP_ID = "{APP_ID}"' in text
    assert "console=False" in text
    for unused in ["PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore", "tkinter",
                   "pytest", "hypothesis", "IPython"]:
        assert f'"{unused}"' in text, f"the spec does not exclude {unused}"
    compile(text, str(SPEC), "exec")  # at least valid Python


def test_spec_declares_bpnet_documents_on_macos():
    text = SPEC.read_text(encoding="utf-8")
    for key in ["CFBundleDocumentTypes", "UTExportedTypeDeclarations", "LSItemContentTypes",
                '"public.filename-extension": ["bpnet"]', f'"public.mime-type": ["{MIME_TYPE}"]']:
        assert key in text


def test_launcher_runs_the_app_main():
    text = (PACKAGING / "launcher.py").read_text(encoding="utf-8")
    assert "from backprop_gui.app import main" in text
    assert "sys.exit(main())" in text


def test_launcher_import_check_imports_every_app_module():
    # The same check make test-package runs inside the bundle; here it proves the check
    # itself works (finds the modules, reports in the form the shell script expects).
    import os

    env = {**os.environ, "BACKPROP_GUI_CHECK_IMPORTS": "1", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, str(PACKAGING / "launcher.py")], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"imports: \d+ passed, 0 failed", summary), summary
    assert int(summary.split()[1]) > 20  # it found the app's modules, not an empty package


def test_resources_are_found_in_a_bundle(tmp_path, monkeypatch):
    from backprop_gui import resources

    (tmp_path / "resources").mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == tmp_path / "resources"


def test_inno_setup_script_associates_bpnet_and_takes_the_version_from_a_define():
    text = ISS.read_text(encoding="utf-8")
    assert "#ifndef AppVersion" in text
    assert "AppVersion={#AppVersion}" in text
    assert "ChangesAssociations=yes" in text
    assert re.search(r'Subkey: "Software\\Classes\\\.bpnet"', text)
    assert '""{app}\\{#AppExeName}"" ""%1""' in text
    assert "{autoprograms}" in text and "desktopicon" in text
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}$", text, re.M)
    assert "..\\..\\build\\icons\\backprop-gui.ico" in text


def test_packaging_readme_covers_every_platform():
    text = (PACKAGING / "README.md").read_text(encoding="utf-8")
    for needle in ["make package", "make test-package", "iscc", "pyinstaller", "codesign",
                   "notarytool", "signtool", ".bpnet"]:
        assert needle in text, f"packaging/README.md does not mention {needle}"


# --- the icon -------------------------------------------------------------------------------

def test_app_icon_svg_is_square_and_uses_the_app_colours():
    svg = ROOT / "resources" / "icons" / "backprop-gui.svg"
    root = ET.parse(svg).getroot()
    assert root.get("viewBox") == "0 0 256 256"
    text = svg.read_text(encoding="utf-8").lower()
    assert "#2166ac" in text and "#b2182b" in text  # RdBu blue and red from ui/common/colors.py


def test_icon_renderer_writes_every_size_ico_and_icns(tmp_path):
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "make_icons.py"), str(tmp_path), "--name", APP_ID],
        capture_output=True, text=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    for size in [16, 24, 32, 48, 64, 128, 256]:
        png = tmp_path / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        image = QImage(str(png))
        assert (image.width(), image.height()) == (size, size)
        # opaque in the middle (the tile), transparent in the corner (rounded)
        assert image.pixelColor(size // 2, size // 2).alpha() == 255
        assert image.pixelColor(0, 0).alpha() < 64
    assert (tmp_path / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    ico = (tmp_path / "backprop-gui.ico").read_bytes()
    assert ico[:4] == b"\0\0\1\0" and int.from_bytes(ico[4:6], "little") == 7
    icns = (tmp_path / "backprop-gui.icns").read_bytes()
    assert icns[:4] == b"icns" and int.from_bytes(icns[4:8], "big") == len(icns)
