"""Make the User Guide's screenshots (resources/help/shots/*.png), offscreen.

    python packaging/make_guide_screenshots.py [OUT_DIR]      # or: make guide-screenshots

The whole window comes from `backprop-gui --screenshot --size 1280x800` (run as a separate
process, exactly as a person would). The panels are cut from a window of the same size built
here with MainWindow: each dock widget is grabbed after the window has been put in the state the
guide describes (a few steps into the forward pass, a weight selected, a short training run).
The light theme is used whatever the desktop's, so the pictures do not change with the machine.
(`backprop-gui --screenshot FILE --panel NAME` shows a panel in front, but only as part of
the whole window: the guide's pictures of a panel in a given state are cut here.)

The pictures are opaque PNGs at the highest compression: all of them take about 0.9 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1280, 800)
WINDOW_WIDTH = 800          # the whole window is shown in the guide at this width
STEPS_INTO_PASS = 3         # three presses of Next: the Steps shots show the 4th step
TRAIN_EPOCHS = 40           # the Plots shots show a short run
SELECTED_WEIGHT = (2, 3, 4)  # W²[4,5] (layer, row, column 0-based): a non-zero gradient
LANDSCAPE_PRESET = "Ravine with momentum"
LANDSCAPE_STEPS = 25        # far enough along the ravine to see momentum's curve
COMPARE_EPOCHS = 30         # the Compare dialog's runs (batch vs mini-batch vs SGD)
LESSON_PAGE = ("softmax", 3)  # a page with a question
WELCOME_HEIGHT = 380        # the welcome page's top, down to the second lesson
MAPS_DATASET, MAPS_EPOCHS = "moons", 150   # the maps shots: a 2-D set, partly learnt


def save_small(image, path: Path) -> None:
    """`image` as an opaque 24-bit PNG at the highest compression."""
    from PySide6.QtGui import QImage

    # No alpha channel (a quarter smaller); antialiased text has too many colours for a
    # 256-colour palette to keep it sharp, so the colours stay as they are.
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    if not image.save(str(path), "PNG", 0):   # quality 0: the highest compression
        raise OSError(f"could not write {path}")


def window_shot(out: Path) -> None:
    """The whole window through the command line, scaled to the guide's width."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    with tempfile.TemporaryDirectory() as tmp:
        shot = Path(tmp) / "window.png"
        subprocess.run([sys.executable, "-m", "backprop_gui", "--screenshot", str(shot),
                        "--size", f"{SIZE[0]}x{SIZE[1]}"], check=True, cwd=ROOT)
        image = QImage(str(shot))
    save_small(image.scaledToWidth(WINDOW_WIDTH, Qt.TransformationMode.SmoothTransformation),
               out / "window.png")


def panel_shots(out: Path) -> list[str]:
    """Each panel, tab and control the guide shows; the names of the files written."""
    from PySide6.QtCore import QRect, QSettings
    from PySide6.QtWidgets import QApplication

    from backprop_gui.engine.selection import Selection
    from backprop_gui.ui.runs.compare_dialog import CompareDialog
    from backprop_gui.ui.window.main_window import MainWindow
    from backprop_gui.ui.common.theme import Theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    Theme(app, "light")
    written: list[str] = []

    from backprop_gui.ui.common.settle import settle

    def save(widget, name: str, part: QRect | None = None) -> None:
        settle()
        picture = widget.grab() if part is None else widget.grab(part)
        save_small(picture.toImage(), out / name)
        written.append(name)

    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(os.path.join(tmp, "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, remember_layout=False)
        window.resize(*SIZE)
        window.show()
        settle()
        window.view.fit_to_view()
        for _ in range(STEPS_INTO_PASS):
            window.stepper.next()
        layer, row, column = SELECTED_WEIGHT
        window.session.select(Selection.weight(layer, row, column))
        save(window.view, "diagram.png")
        for name in ("Input", "Dataset", "Inspector"):
            dock = window.dock(name)
            dock.raise_()
            save(dock, f"{name.lower()}.png")

        steps = window.dock("Steps")
        steps.raise_()
        tabs = window.stepper.tabs
        tabs.setCurrentIndex(0)
        save(steps, "steps.png")
        tabs.setCurrentWidget(window.stepper.explain)
        window.stepper.show_explain(Selection.weight(layer, row, column))
        save(steps, "steps-explain.png")
        tabs.setCurrentWidget(window.stepper.gradcheck_scroll)   # the tab is its scroll area
        window.stepper.gradcheck.run_button.click()
        save(steps, "steps-gradcheck.png")

        # The Graph panel with the whole pass stepped through: every value and gradient shown.
        window.stepper.last()
        graph = window.dock("Graph")
        graph.raise_()
        save(graph, "graph.png")
        window.stepper.first()

        landscape = window.dock("Landscape")
        landscape.raise_()
        toy = window.landscape.panel().toy
        toy.apply_preset(LANDSCAPE_PRESET)
        for _ in range(LANDSCAPE_STEPS):
            toy.step()
        save(landscape, "landscape.png")

        clock = window.training.clock
        for _ in range(TRAIN_EPOCHS):
            clock.step_epoch()
        plots = window.dock("Plots")
        plots.raise_()
        settle()
        panel = window.training.panel()
        panel.tabs.setCurrentIndex(0)
        save(plots, "plots-loss.png")
        panel.tabs.setCurrentWidget(panel.weights)
        save(plots, "plots-weights.png")

        # Runs side by side: the Compare dialog as it opens, then its runs in the Loss plot.
        dialog = CompareDialog(window.session, window)
        dialog.epochs.setValue(COMPARE_EPOCHS)
        dialog.show()
        save(dialog, "compare.png")
        dialog.start()
        dialog.runner.run_to_end()
        dialog.hide()
        panel.tabs.setCurrentIndex(0)
        save(plots, "compare-runs.png")

        bar = window.training.bar
        # The toolbar spans the window: two pictures, split after the speed, each
        # shown at full size (one scaled to the page's width would be too small to read).
        progress = bar.progress
        text_end = progress.x() + progress.fontMetrics().horizontalAdvance(progress.text()) + 16
        split = bar.speed_combo.geometry().right() + 6
        save(bar, "training-toolbar.png", QRect(0, 0, split, bar.height()))
        save(bar, "training-toolbar-rate.png",
             QRect(split, 0, min(bar.width(), text_end) - split, bar.height()))
        bar.settings.adjustSize()
        save(bar.settings, "training-settings.png")
        # Two inputs: the Decision map and the diagram's neuron maps, after some training.
        window.session.load_builtin_dataset(MAPS_DATASET)
        for _ in range(MAPS_EPOCHS):
            clock.step_epoch()
        settle()
        decision = window.dock("Decision map")
        decision.raise_()
        save(decision, "decision-map.png")
        save(window.view, "diagram-maps.png")
        # Last: a lesson opens its own project.
        lesson = window.dock("Lesson")
        window.lessons.show_welcome()
        lesson.raise_()
        # Its top only (the welcome text and the first lessons): the whole dock is as tall as
        # the window and would crowd the page's other picture.
        save(lesson, "lesson-welcome.png", QRect(0, 0, lesson.width(), WELCOME_HEIGHT))
        window.lessons.open_bundled(*LESSON_PAGE)
        save(lesson, "lesson.png")
        # Not close(): that would ask to save the trained project.
        window.hide()
        window.deleteLater()
        settle()
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "resources" / "help" / "shots"
    out.mkdir(parents=True, exist_ok=True)
    window_shot(out)
    names = ["window.png", *panel_shots(out)]
    total = sum((out / n).stat().st_size for n in names)
    for name in names:
        print(f"{name:26} {(out / name).stat().st_size / 1024:7.1f} KB")
    print(f"{len(names)} screenshots, {total / 1024:.0f} KB in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
