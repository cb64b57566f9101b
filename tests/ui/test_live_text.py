"""LiveText: per-frame text that repaints itself only (no relayout, no repaint behind it)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QVBoxLayout, QWidget

from backprop_gui.ui.common.live_text import LiveText


class EventCounter(QObject):
    def __init__(self, kinds) -> None:
        super().__init__()
        self.kinds = kinds
        self.count = 0

    def eventFilter(self, _obj, event) -> bool:
        if event.type() in self.kinds:
            self.count += 1
        return False


@pytest.mark.parametrize("opaque", [True, False])
def test_new_text_repaints_the_label_and_behind_it_only_when_see_through(qtbot, opaque):
    parent = QWidget()
    qtbot.addWidget(parent)
    text = LiveText("Epoch 000000 · loss 0.0000", opaque=opaque)
    layout = QVBoxLayout(parent)
    layout.addWidget(text)
    layout.addStretch(1)
    parent.resize(300, 200)
    parent.show()
    qtbot.waitExposed(parent)
    qtbot.wait(20)
    behind = EventCounter({QEvent.Type.Paint, QEvent.Type.LayoutRequest})
    itself = EventCounter({QEvent.Type.Paint})
    parent.installEventFilter(behind)
    text.installEventFilter(itself)
    for epoch in range(1, 6):
        text.setText(f"Epoch {epoch} · loss {1 / epoch:.4f}")
        qtbot.waitUntil(lambda: itself.count >= epoch)
    assert text.text() == "Epoch 5 · loss 0.2000"
    assert text.accessibleName() == text.text()
    # No relayout either way; the parent repaints under a see-through label only.
    assert (behind.count == 0) if opaque else (behind.count >= 5)
    text.setText(text.text())                       # the same text: nothing to do
    qtbot.wait(20)
    assert itself.count == 5


def test_text_changing_every_frame_repaints_a_few_times_a_second_and_ends_exact(qtbot):
    from backprop_gui.ui.common.throttle import READABLE_MS

    text = LiveText("Epoch 000000")
    qtbot.addWidget(text)
    text.show()
    qtbot.waitExposed(text)
    qtbot.wait(100)
    painted = EventCounter({QEvent.Type.Paint})
    text.installEventFilter(painted)
    shown = []
    original = text.paintEvent

    def paint(event):
        shown.append(text.text())
        original(event)

    text.paintEvent = paint
    text.setText("Epoch 1")
    qtbot.waitUntil(lambda: painted.count == 1)       # the first change: at once
    start = time.perf_counter()
    for epoch in range(2, 31):                        # then 60 a second, for half a second
        text.setText(f"Epoch {epoch}")
        assert text.text() == text.accessibleName() == f"Epoch {epoch}"
        qtbot.wait(16)
    qtbot.wait(3 * READABLE_MS)
    # Over the whole time watched, so a slow or busy machine cannot push the count past it.
    elapsed = time.perf_counter() - start
    assert 3 <= painted.count <= elapsed * 1000 / READABLE_MS + 3   # not one per change (29)
    assert shown[-1] == "Epoch 30"                    # the last text is on show


def test_a_paint_for_another_reason_cancels_the_repaint_waiting_its_turn(qtbot):
    # Content changed twice in quick succession: the second change waits its turn. If the
    # widget is painted meanwhile (a window exposed, a repaint by hand), that paint shows
    # the latest content and the waiting repaint would only draw the same again.
    text = LiveText("Epoch 1")
    qtbot.addWidget(text)
    text.show()
    qtbot.waitExposed(text)
    qtbot.wait(100)
    painted = EventCounter({QEvent.Type.Paint})
    text.installEventFilter(painted)
    text.setText("Epoch 2")                         # paints at once
    qtbot.waitUntil(lambda: painted.count == 1)
    text.setText("Epoch 3")                         # waits its turn (~50 ms)
    text.repaint()                                  # ...but a paint comes first
    assert painted.count == 2
    qtbot.wait(150)
    assert painted.count == 2


def test_a_line_too_narrow_drops_whole_parts_rather_than_cut_a_number(qtbot):
    from PySide6.QtGui import QFontMetricsF

    full = "Epoch 303577 · mean loss 6.46e-07 · accuracy 100.0 %"
    text = LiveText(full, parts=" · ")
    qtbot.addWidget(text)
    text.setText(full)
    metrics = QFontMetricsF(text.font())
    two = "Epoch 303577 · mean loss 6.46e-07 …"
    assert text.shown_text(metrics.horizontalAdvance(full) + 1) == full
    # Too narrow for "accuracy 100.0 %": it goes whole ("accuracy 10…" would read as 10 %).
    assert text.shown_text(metrics.horizontalAdvance(two) + 1) == two
    assert text.shown_text(metrics.horizontalAdvance("Epoch 303577 …") + 1) == "Epoch 303577 …"
    # Narrower than the first part alone: that part is elided as usual.
    narrow = text.shown_text(metrics.horizontalAdvance("Epoch 30"))
    assert narrow.startswith("Epoch") and narrow.endswith("…") and " · " not in narrow
    # Without parts, a plain elision (the old behaviour, e.g. for a file name).
    plain = LiveText(full)
    qtbot.addWidget(plain)
    plain.setText(full)
    width = metrics.horizontalAdvance("Epoch 303577 · mean loss 6.46e-07 · accuracy 10…") + 1
    assert plain.shown_text(width) == "Epoch 303577 · mean loss 6.46e-07 · accuracy 10…"
    assert text.shown_text(width) == two
