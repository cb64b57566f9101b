"""Wrap the PyInstaller folder (dist/backprop-gui) in a Debian package.

    .venv/bin/python packaging/build_deb.py [--bundle dist/backprop-gui] [--out dist]

Writes dist/backprop-gui_<version>_<arch>.deb that installs

    /opt/backprop-gui/                      the bundle (Python, Qt, NumPy, the app, resources/)
    /usr/bin/backprop-gui                   a launcher script
    /usr/share/applications/<id>.desktop    the menu entry; opens .bpnet files
    /usr/share/mime/packages/<id>.xml       the .bpnet file type
    /usr/share/metainfo/<id>.metainfo.xml   AppStream data for software centres
    /usr/share/icons/hicolor/*/apps/<id>.*  icons, 16-256 px PNG and SVG
    /usr/share/doc/backprop-gui/copyright   licences of what the bundle contains

The version is backprop_gui.__version__ (its one home, which pyproject.toml reads too), the architecture is dpkg's.
Run with the project's venv Python: it imports the package for the version and renders the
icons with Qt.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
APP_ID = "org.backpropgui.BackpropGUI"
PACKAGE = "backprop-gui"
INSTALL_DIR = "opt/backprop-gui"
MAINTAINER = os.environ.get(
    "DEB_MAINTAINER", "Backprop GUI developers <maintainers@backpropgui.invalid>"
)

# What the bundle takes from the machine rather than carrying itself (PyInstaller leaves the
# C library, the OpenGL/EGL drivers and libxcb to the system; fontconfig/freetype and Wayland
# are left out on purpose, see backprop_gui.spec). test-package checks that every library the
# bundle needs and does not carry comes from one of these packages.
DEPENDS = [
    "libgl1",
    "libegl1",
    "libxcb1",
    "libfontconfig1",
    "libfreetype6",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
    "xkb-data",  # keyboard layouts read by the bundled libxkbcommon
    "fonts-dejavu-core",  # fontconfig needs at least one font; DejaVu has every glyph we use
]

DESCRIPTION = """\
see how a neural network learns, one chain-rule step at a time
 Backprop GUI teaches how neural networks learn. Draw a small network, paint
 a 4x4 image as its input, and step through the forward pass, the loss, every
 chain-rule step of the backward pass and the weight update, each shown with
 its formula and the actual numbers; then train the network live and watch
 the loss fall.
 .
 The package carries its own Python, Qt and NumPy in /opt/backprop-gui and
 works without a network connection. Double-clicking a .bpnet project file
 opens it in Backprop GUI."""

COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: backprop-gui
Comment: /opt/backprop-gui is a PyInstaller bundle: the application together
 with the Python interpreter and the libraries it runs on, listed below.

Files: opt/backprop-gui/_internal/backprop_gui/* opt/backprop-gui/_internal/resources/*
Copyright: Backprop GUI developers

Files: opt/backprop-gui/_internal/PySide6/* opt/backprop-gui/_internal/shiboken6/*
Copyright: The Qt Company Ltd. and other contributors
License: LGPL-3
 Qt {qt} and PySide6 {pyside}, used under the GNU Lesser General Public License
 version 3. The Qt libraries are unmodified shared libraries in
 /opt/backprop-gui/_internal/PySide6/Qt/lib and may be replaced by compatible
 builds. On Debian systems the licence is in /usr/share/common-licenses/LGPL-3.
 The ICU libraries beside them (libicu*.so.*) are under the Unicode licence
 (Unicode-3.0).

Files: opt/backprop-gui/_internal/numpy/* opt/backprop-gui/_internal/numpy.libs/*
Copyright: NumPy Developers; OpenBLAS contributors
License: BSD-3-Clause
 NumPy {numpy} and the OpenBLAS library it bundles. On Debian systems the BSD
 licence is in /usr/share/common-licenses/BSD. The GCC runtime libraries in
 numpy.libs (libgfortran, libquadmath) are GPL-3 with the GCC Runtime Library
 Exception.

Files: opt/backprop-gui/_internal/pyqtgraph/*
Copyright: Luke Campagnola and the pyqtgraph contributors
License: MIT
 pyqtgraph {pyqtgraph}.

Files: opt/backprop-gui/_internal/libpython* opt/backprop-gui/_internal/python3*
 opt/backprop-gui/_internal/base_library.zip
Copyright: Python Software Foundation
License: PSF-2.0
 Python {python}.

Files: opt/backprop-gui/_internal/lib*.so*
Copyright: the respective authors
License: various free software licences
 System libraries copied from Debian {debian} (GLib, D-Bus, libxcb utilities,
 libxkbcommon, libstdc++ and others); their copyright files are in /usr/share/doc of
 the Debian packages of the same names.
"""


def run(cmd: list[str], **kwargs) -> str:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kwargs).stdout.strip()


def app_version() -> str:
    sys.path.insert(0, str(ROOT))
    from backprop_gui import __version__

    return __version__


def deb_version(version: str) -> str:
    """PEP 440 → Debian: a pre-release sorts before the release (1.0rc1 → 1.0~rc1)."""
    return re.sub(r"(?<=\d)(a|b|rc|\.dev)(?=\d)", r"~\1", version)


def min_glibc(bundle: Path) -> str:
    """The newest GLIBC_x.y symbol version any bundled binary asks for."""
    best = (2, 17)
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()
             and (".so" in p.name or p == bundle / PACKAGE)]
    for start in range(0, len(files), 200):
        out = subprocess.run(["objdump", "-T", *map(str, files[start:start + 200])],
                             text=True, capture_output=True).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", out):
            best = max(best, (int(major), int(minor)))
    return f"{best[0]}.{best[1]}"


def versions() -> dict[str, str]:
    from importlib.metadata import version

    import PySide6

    debian = Path("/etc/debian_version")
    return {
        "qt": PySide6.__version__,
        "pyside": version("PySide6-Essentials"),
        "numpy": version("numpy"),
        "pyqtgraph": version("pyqtgraph"),
        "python": sys.version.split()[0],
        "debian": debian.read_text().strip() if debian.exists() else "the build machine",
    }


def install(src: Path, dest: Path, mode: int = 0o644) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    dest.chmod(mode)


def build(bundle: Path, out: Path, work: Path) -> Path:
    version = app_version()
    debver = deb_version(version)
    arch = run(["dpkg", "--print-architecture"])
    root = work / "root"
    if work.exists():
        shutil.rmtree(work)
    root.mkdir(parents=True)

    # The bundle itself, symlinks kept (PyInstaller links top-level names to Qt's libraries).
    shutil.copytree(bundle, root / INSTALL_DIR, symlinks=True)
    install(LINUX / "backprop-gui.sh", root / "usr/bin" / PACKAGE, 0o755)
    share = root / "usr/share"
    install(LINUX / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    install(LINUX / f"{APP_ID}.xml", share / "mime/packages" / f"{APP_ID}.xml")
    metainfo = (LINUX / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    date = datetime.datetime.fromtimestamp(
        int(os.environ.get("SOURCE_DATE_EPOCH", datetime.datetime.now().timestamp())),
        tz=datetime.timezone.utc,
    ).date().isoformat()
    metainfo = metainfo.replace("@VERSION@", version).replace("@DATE@", date)
    (share / "metainfo").mkdir(parents=True)
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(metainfo, encoding="utf-8")

    icons = work / "icons"
    subprocess.run([sys.executable, str(ROOT / "packaging" / "make_icons.py"), str(icons),
                    "--name", APP_ID], check=True)
    shutil.copytree(icons / "hicolor", share / "icons" / "hicolor")

    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT.format(**versions()), encoding="utf-8")

    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        elif path.stat().st_mode & 0o111:
            path.chmod(0o755)
        else:
            path.chmod(0o644)

    installed_kib = sum(
        p.lstat().st_size for p in root.rglob("*") if p.is_file() or p.is_symlink()
    ) // 1024 + 1
    depends = [f"libc6 (>= {min_glibc(root / INSTALL_DIR)})", *DEPENDS]
    control = "\n".join([
        f"Package: {PACKAGE}",
        f"Version: {debver}",
        f"Architecture: {arch}",
        f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {installed_kib}",
        f"Depends: {', '.join(depends)}",
        "Section: education",
        "Priority: optional",
        f"Description: {DESCRIPTION}",
        "",
    ])
    debian = root / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(control, encoding="utf-8")
    install(LINUX / "postinst", debian / "postinst", 0o755)
    install(LINUX / "postrm", debian / "postrm", 0o755)

    out.mkdir(parents=True, exist_ok=True)
    deb = out / f"{PACKAGE}_{debver}_{arch}.deb"
    # zstd level 9: 54 MB in 10 s; level 19 saves 6 MB more but takes 3 minutes (measured on
    # 2 cores), and the default level 3 gives 59 MB in 2 s.
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zzstd", "-z9", "--build", str(root),
                    str(deb)], check=True, stdout=subprocess.DEVNULL)
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Backprop GUI .deb")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / PACKAGE,
                        help="the PyInstaller one-folder output (default: dist/backprop-gui)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist",
                        help="where the .deb goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "deb",
                        help="scratch folder for the package tree (default: build/deb)")
    args = parser.parse_args(argv)
    if not (args.bundle / PACKAGE).is_file():
        print(f"build_deb: no bundle at {args.bundle}; run PyInstaller first (make package)",
              file=sys.stderr)
        return 1
    deb = build(args.bundle, args.out, args.work)
    print(deb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
