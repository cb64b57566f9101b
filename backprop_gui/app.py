"""Command line and start-up of Backprop GUI.

Qt is imported only after the arguments are parsed, so ``--version`` (and argument
errors) answer at once without loading PySide6.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from backprop_gui import __version__

DEFAULT_SIZE = (1280, 800)


def _parse_size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    try:
        if not sep:
            raise ValueError
        size = int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x800, got {text!r}")
    if min(size) <= 0:
        raise argparse.ArgumentTypeError(f"width and height must be positive, got {text!r}")
    return size


def _no_display() -> bool:
    """True on Linux with no X or Wayland display and no platform chosen by the user."""
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-gui",
        description="Backprop GUI: see how a neural network learns, one chain-rule step at a time.",
    )
    parser.add_argument(
        "--version", action="store_true", help="print the version and exit"
    )
    parser.add_argument(
        "--screenshot",
        metavar="FILE",
        help="render the main window to FILE (PNG) and exit; works offscreen",
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        type=_parse_size,
        default=DEFAULT_SIZE,
        help="window size in pixels (default: 1280x800)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.version:
        print(f"backprop-gui {__version__}")
        return 0

    if args.screenshot and _no_display():
        # A screenshot needs no screen: render offscreen rather than abort on a headless machine.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    # Lazy: importing Qt costs ~100 ms and needs the system libraries.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "backprop-gui"])
    app.setApplicationName("Backprop GUI")
    app.setApplicationVersion(__version__)

    window = QMainWindow()
    window.setWindowTitle("Backprop GUI")
    label = QLabel("Backprop GUI\n\nThe main window is under construction.")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(label)
    window.resize(*args.size)
    window.show()

    if args.screenshot:
        app.processEvents()
        if not window.grab().save(args.screenshot):
            print(f"backprop-gui: could not write screenshot {args.screenshot}", file=sys.stderr)
            return 1
        window.close()
        return 0

    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
