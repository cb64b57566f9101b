"""Command line and start-up of Backprop GUI.

    backprop-gui [FILE] [--screenshot PNG [--panel NAME]] [--size WxH] [--version] [--self-test]
                 [--lesson ID [--page N]] [--list-lessons]

Qt is imported only after the arguments are parsed, so ``--version`` (and argument
errors) answer at once without loading PySide6; the window's modules are imported only
when a window is wanted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from backprop_gui import __version__

DEFAULT_SIZE = (1280, 800)
# Set to 1 to quit as soon as the window is shown: tests/bench/bench_startup.py uses it.
EXIT_AFTER_SHOW_ENV = "BACKPROP_GUI_EXIT_AFTER_SHOW"
_STARTED = time.perf_counter()


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


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a page number 1, 2, …, got {text!r}")
    return value


def _list_lessons() -> int:
    from backprop_gui.lessons import bundled_lessons

    lessons, problems = bundled_lessons()
    width = max((len(lesson.id) for lesson in lessons), default=0)
    for lesson in lessons:
        print(f"{lesson.id:<{width}}  {lesson.title} ({len(lesson.pages)} pages)")
    for problem in problems:
        print(f"backprop-gui: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _find_lesson(parser: argparse.ArgumentParser, args: argparse.Namespace):
    """The lesson --lesson names (a bundled id or a file), checked before Qt starts; a
    wrong one is a usage error naming what is wrong."""
    from backprop_gui.lessons import LessonError, find_bundled, load_lesson

    if args.page is not None and not args.lesson:
        parser.error("--page needs --lesson")
    if not args.lesson:
        return None
    try:
        if args.lesson.lower().endswith((".toml", ".json")) and os.path.exists(args.lesson):
            lesson = load_lesson(args.lesson)
        else:
            lesson = find_bundled(args.lesson)
    except LessonError as exc:
        parser.error(str(exc))
    if args.page is not None and args.page > len(lesson.pages):
        parser.error(f"--page {args.page}: the lesson “{lesson.id}” has {len(lesson.pages)} pages")
    return lesson


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
    parser.add_argument("file", nargs="?", metavar="FILE",
                        help="a project (.bpnet) to open")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--screenshot", metavar="PNG",
        help="render the main window (with FILE, if given) to PNG and exit; works offscreen",
    )
    parser.add_argument(
        "--panel", metavar="NAME",
        help="with --screenshot: bring this panel to the front first (its name in "
             "View > Panels, any case: input, dataset, steps, plots, inspector, ...)",
    )
    parser.add_argument(
        "--size", metavar="WxH", type=_parse_size, default=None,
        help="window size in pixels (default: 1280x800 for --screenshot, else fit the screen)",
    )
    parser.add_argument("--lesson", metavar="ID",
                        help="open straight into a bundled lesson (see --list-lessons), or a "
                             "lesson file (.toml or .json)")
    parser.add_argument("--page", metavar="N", type=_positive_int,
                        help="with --lesson: open it at page N (1 is the first)")
    parser.add_argument("--list-lessons", action="store_true",
                        help="print each bundled lesson's id and title and exit")
    parser.add_argument(
        "--self-test", action="store_true",
        help="check the datasets, the maths, the lessons and the window, print a summary and "
             "exit (0 when every check passed)",
    )
    return parser


def _application():
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "backprop-gui"])
    app.setOrganizationName("Backprop GUI")
    app.setApplicationName("Backprop GUI")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("org.backpropgui.BackpropGUI")  # the installed .desktop file
    return app


def _quiet_offscreen_warning() -> None:
    """Drop the offscreen plugin's harmless "does not support propagateSizeHints()" line, so
    --self-test and --screenshot print only what matters; every other Qt message still shows."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.panel is not None and not args.screenshot:
        parser.error("--panel needs --screenshot")
    if args.version:
        print(f"backprop-gui {__version__}")
        return 0
    if args.list_lessons:
        return _list_lessons()
    args.lesson_record = _find_lesson(parser, args)

    # Our networks are small: a second BLAS thread never helps them and stalls when the GUI
    # thread has the other core (docs/ARCHITECTURE.md). Must be set before NumPy is first imported.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(var, "1")

    headless = bool(args.screenshot or args.self_test)
    if headless and _no_display():
        # A screenshot or self-test needs no screen: render offscreen rather than abort.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("LANG", "C.UTF-8")

    if headless:
        _quiet_offscreen_warning()
    app = _application()
    if args.self_test:
        from backprop_gui.selftest import run_self_test

        if args.file:
            from backprop_gui.session.session import Session

            if not _open_or_report(Session(), args.file):
                return 1
        return run_self_test(args.file)
    if args.screenshot:
        return _screenshot(app, args)
    return _run_gui(app, args)


def _open_or_report(session, file: str) -> bool:
    """Open FILE into `session`; on failure say why on stderr (headless modes have no dialog)."""
    try:
        session.open_file(file)
    except Exception as exc:  # ProjectFileError, OSError: say what is wrong
        print(f"backprop-gui: cannot open {file}: {exc}", file=sys.stderr)
        return False
    return True


def _screenshot(app, args: argparse.Namespace) -> int:
    import tempfile

    from PySide6.QtCore import QSettings

    from backprop_gui.session.session import Session
    from backprop_gui.ui.window.main_window import MainWindow
    from backprop_gui.ui.window.panel_front import bring_panel_to_front
    from backprop_gui.ui.common.settle import settle
    from backprop_gui.ui.common.theme import Theme

    session = Session()
    if args.file and not _open_or_report(session, args.file):
        return 1
    Theme(app, "system")
    # A throwaway settings file: a screenshot neither reads nor changes the user's layout.
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(os.path.join(tmp, "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(session, settings=settings, remember_layout=False)
        window.resize(*(args.size or DEFAULT_SIZE))
        window.show()
        settle()
        if args.lesson_record is not None:
            window.lessons.open_lesson(args.lesson_record, args.page)
            clock = window.training.clock
            while clock.is_running:      # a page that trains: the picture after its epochs
                clock.tick()
            settle()
        if args.panel is not None:
            try:
                bring_panel_to_front(window, args.panel)
            except ValueError as exc:
                window.close()
                print(f"backprop-gui: {exc}", file=sys.stderr)
                return 2
            settle()
        window.view.fit_to_view()
        settle()
        ok = window.grab().save(args.screenshot)
        window.close()
    if not ok:
        print(f"backprop-gui: could not write screenshot {args.screenshot}", file=sys.stderr)
        return 1
    return 0


def _run_gui(app, args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer

    from backprop_gui.ui.dialogs.preferences import Preferences
    from backprop_gui.ui.window.file_controller import FileOpenFilter
    from backprop_gui.ui.window.main_window import MainWindow, app_settings
    from backprop_gui.ui.common.theme import Theme

    settings = app_settings()
    theme = Theme(app, Preferences.load(settings).theme)
    window = MainWindow(settings=settings, theme=theme)
    FileOpenFilter(window.files, app)
    window.resize(*(args.size or window.default_size()))
    window.show()
    if args.size:  # an explicit size wins over the one remembered from the last run
        window.resize(*args.size)
    if os.environ.get(EXIT_AFTER_SHOW_ENV) == "1":
        _quit_after_first_paint(app, window)
        return app.exec()
    # Autosave and crash recovery (backprop_gui/session/autosave.py, ui/dialogs/recovery.py).
    from backprop_gui.ui.dialogs.recovery import install_autosave, offer_recovery

    autosaver = install_autosave(window)

    def open_at_start() -> None:
        # After the event loop starts, so a dialog or error box appears over a visible window.
        # Work a crashed run left behind comes first; recovering it replaces the usual start.
        if offer_recovery(window, autosaver):
            return
        if args.file:
            window.files.open_path(args.file, ask=False)
        else:
            window.reopen_last_project()
        if args.lesson_record is not None:
            window.lessons.open_lesson(args.lesson_record, args.page)
        elif not args.file and window.lessons.store.show_at_start():
            window.lessons.show_welcome()

    QTimer.singleShot(0, open_at_start)
    return app.exec()


def _quit_after_first_paint(app, window) -> None:
    """For the start-up benchmark: print "shown" when the window first paints, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class QuitAfterFirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint and obj is window:
                window.removeEventFilter(self)
                # Whether pyqtgraph (~0.25-0.5 s to import) was loaded before the first frame.
                print(f"shown pyqtgraph={'pyqtgraph' in sys.modules}", flush=True)
                QTimer.singleShot(0, app.quit)
            return False

    # A child of the window, which keeps it (no attribute set on the window).
    window.installEventFilter(QuitAfterFirstPaint(window))


if __name__ == "__main__":
    raise SystemExit(main())

