"""Check that a screenshot from the bundled app shows a real window, not a blank or black image.

    python packaging/check_screenshot.py SHOT.png WIDTH HEIGHT

Prints a one-line summary; exits 1 when the image has the wrong size, is (nearly) one colour,
or has too few colours to hold text, a diagram and colour bars. Used by `make test-package`.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication, QImage  # noqa: E402

MIN_COLOURS = 64  # antialiased text alone gives dozens; the colour maps give hundreds
MAX_DOMINANT = 0.90  # the most common colour (the background) may cover at most this share


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, width, height = argv[0], int(argv[1]), int(argv[2])
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    image = QImage(path)
    if image.isNull():
        print(f"{path} is not a readable image")
        return 1
    if (image.width(), image.height()) != (width, height):
        print(f"{image.width()}x{image.height()}, expected {width}x{height}")
        return 1
    counts: dict[int, int] = {}
    step = 2  # every other pixel in both directions: fast, and thin lines still show up
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            rgb = image.pixel(x, y) & 0xFFFFFF
            counts[rgb] = counts.get(rgb, 0) + 1
    total = sum(counts.values())
    dominant = max(counts.values()) / total
    coloured = sum(n for rgb, n in counts.items() if _saturated(rgb)) / total
    summary = (f"{width}x{height}, {os.path.getsize(path) // 1024} KiB, {len(counts)} colours, "
               f"background {dominant:.0%}, saturated {coloured:.1%}")
    if len(counts) < MIN_COLOURS or dominant > MAX_DOMINANT:
        print(f"looks blank: {summary}")
        return 1
    print(summary)
    return 0


def _saturated(rgb: int) -> bool:
    r, g, b = (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255
    return max(r, g, b) - min(r, g, b) > 60


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
