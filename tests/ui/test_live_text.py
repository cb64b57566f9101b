"""LiveText: per-frame text that repaints itself only (no relayout, no repaint behind it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QVBoxLayout, QWidget

from backprop_gui.ui.live_text import LiveText


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
