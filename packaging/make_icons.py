"""Render the app icon (resources/icons/backprop-gui.svg) into the files the installers need.

    python packaging/make_icons.py OUT_DIR

writes into OUT_DIR:

- ``hicolor/<N>x<N>/apps/<name>.png`` for N in 16, 24, 32, 48, 64, 128, 256 and
  ``hicolor/scalable/apps/<name>.svg`` (the Linux icon theme layout, copied as is into
  /usr/share/icons);
- ``backprop-gui.ico`` (Windows: the .exe, the installer and the .bpnet file icon);
- ``backprop-gui.icns`` (macOS: the .app bundle and its documents).

Rendered with Qt's QSvgRenderer offscreen, so the build needs no other image tool and the
PNGs are generated rather than committed. ``--name`` sets the icon's file name (the Linux
package names it after the application id).
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "backprop-gui.svg"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (the @2x types reuse a larger image).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """An ICO entry as an uncompressed 32-bit DIB (what every Windows version reads)."""
    size = image.width()
    rgba = image.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA bytes on little-endian
    stride = size * 4
    raw = bytes(rgba.constBits())[: stride * size]
    rows = [raw[y * stride:(y + 1) * stride] for y in range(size)]
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    pixels = b"".join(reversed(rows))  # DIBs are stored bottom-up
    mask_stride = ((size + 31) // 32) * 4
    mask = bytes(mask_stride * size)  # all zero: the alpha channel decides
    return header + pixels + mask


def write_ico(images: dict[int, QImage], path: Path) -> None:
    entries = []
    for size in ICO_SIZES:
        # Vista and later read PNG entries; the 256 px one is PNG to keep the file small.
        data = png_bytes(images[size]) if size >= 256 else dib_bytes(images[size])
        entries.append((size, data))
    offset = 6 + 16 * len(entries)
    header = struct.pack("<HHH", 0, 1, len(entries))
    directory = b""
    for size, data in entries:
        dim = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    path.write_bytes(header + directory + b"".join(data for _, data in entries))


def write_icns(images: dict[int, QImage], path: Path) -> None:
    body = b""
    for kind, size in ICNS_TYPES:
        data = png_bytes(images[size])
        body += kind + struct.pack(">I", len(data) + 8) + data
    path.write_bytes(b"icns" + struct.pack(">I", len(body) + 8) + body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="output folder (created if missing)")
    parser.add_argument("--name", default="backprop-gui", help="icon file name in hicolor/")
    args = parser.parse_args(argv)

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"make_icons: cannot read {SOURCE}", file=sys.stderr)
        return 1

    sizes = sorted(set(HICOLOR_SIZES) | set(ICO_SIZES) | {s for _, s in ICNS_TYPES})
    images = {size: render(renderer, size) for size in sizes}

    out: Path = args.out
    for size in HICOLOR_SIZES:
        folder = out / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{args.name}.png").write_bytes(png_bytes(images[size]))
    scalable = out / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable / f"{args.name}.svg")
    write_ico(images, out / "backprop-gui.ico")
    write_icns(images, out / "backprop-gui.icns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
