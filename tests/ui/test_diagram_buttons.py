"""Issue 16 point 12: the diagram's hover −/+ buttons keep clear of each other, of the last
neuron and of the step caption (the pill) at every zoom the window fits the network to; the
Steps panel's step buttons are distinct outlines with tooltips (not Play's filled ▶); the
Inspector's "Nothing selected" is a one-line hint."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QDockWidget, QToolButton

from backprop_gui.engine.selection import Selection
from backprop_gui.ui.diagram.buttons import BUTTON_SIZE

from .test_main_window import make_window, private_settings  # noqa: F401  (a fixture)


def button_rect(view, button) -> QRectF:
    """The button's disc on screen (it ignores the zoom: always BUTTON_SIZE across)."""
    centre = QPointF(view.mapFromScene(button.pos()))
    half = BUTTON_SIZE / 2.0
    return QRectF(centre.x() - half, centre.y() - half, BUTTON_SIZE, BUTTON_SIZE)


def neuron_rect(view, item) -> QRectF:
    return QRectF(view.mapFromScene(item.sceneBoundingRect()).boundingRect())


def caption_rect(view, scene) -> QRectF:
    top = QPointF(view.mapFromScene(scene.caption.pos()))
    return scene.caption.boundingRect().translated(top)


@pytest.mark.parametrize("size", [(1280, 800), (1024, 600)])
@pytest.mark.parametrize("neurons", [None, 1, 2])
def test_hover_buttons_overlap_nothing(qtbot, session, private_settings, size, neurons):  # noqa: F811
    if neurons is not None:
        for layer in range(1, session.network.n_layers):
            session.resize_layer(layer, neurons)
    window = make_window(qtbot, session, private_settings)
    window.resize(*size)
    qtbot.wait(50)
    view = window.view
    view.fit_to_view()
    qtbot.wait(50)
    scene = view.scene()
    assert scene.view_scale < 1.0 or size == (1280, 800)
    for layer, (remove, add) in scene.column_buttons.items():
        r_remove, r_add = button_rect(view, remove), button_rect(view, add)
        assert not r_remove.intersects(r_add), (layer, r_remove, r_add)
        last = neuron_rect(view, scene.neurons[layer][-1])
        for rect in (r_remove, r_add):
            assert not rect.intersects(last), (layer, rect, last)
        # The step caption under this column (e.g. "z¹ →" while stepping through layer 1).
        scene.caption.set_text(f"z{layer} →")
        scene.caption_place = (layer, None)
        scene.caption.setPos(scene.caption_anchor(layer))
        pill = caption_rect(view, scene)
        for rect in (r_remove, r_add):
            assert not rect.intersects(pill), (layer, rect, pill)


# ----- the Steps panel's step buttons and the Inspector's "Nothing selected" ----------------------

def filled_blocks(icon) -> tuple[int, bytes]:
    """(how many 3×3 blocks of the 16×16 icon are fully opaque, its pixels). A 2-pixel
    outline has none; a filled media triangle (the old ▶, training's Play) has several."""
    image = icon.pixmap(16, 16).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    alpha = [[image.pixelColor(x, y).alpha() for x in range(16)] for y in range(16)]
    blocks = sum(all(alpha[y + dy][x + dx] == 255 for dy in range(3) for dx in range(3))
                 for y in range(14) for x in range(14))
    return blocks, bytes(image.constBits())


def test_step_buttons_are_distinct_outlines_with_tooltips_unlike_play(qtbot, session,
                                                                      private_settings):  # noqa: F811
    window = make_window(qtbot, session, private_settings)
    acts = window.stepper.commands
    play = window.findChild(QAction, "play_action")
    steps = [acts.first, acts.previous_phase, acts.previous, acts.next, acts.next_phase, acts.last]
    buttons = {b.defaultAction(): b for b in window.stepper.findChildren(QToolButton)
               if b.defaultAction() in steps}
    assert set(buttons) == set(steps)
    images = set()
    assert filled_blocks(play.icon())[0] > 0
    for action in steps:
        button = buttons[action]
        key = action.shortcut().toString()
        assert key and key in button.toolTip() and button.accessibleName()
        blocks, pixels = filled_blocks(action.icon())
        assert blocks == 0, action.text()     # outlined, unlike Play's filled ▶
        images.add(pixels)
    assert len(images) == len(steps)          # six different pictures


def test_nothing_selected_is_one_line_and_a_selection_gets_room(qtbot, session,
                                                                private_settings):  # noqa: F811
    window = make_window(qtbot, session, private_settings)
    qtbot.wait(50)
    dock = window.findChild(QDockWidget, "dock_inspector")
    inspector = window.inspector
    line = inspector.fontMetrics().height()
    assert not inspector.title.isVisible() and not inspector.note.isVisible()
    assert dock.height() <= 4 * line + 24, dock.height()     # title bar and one or two lines
    session.select(Selection.parse("W2[3,5]"))
    qtbot.wait(50)
    scroll = dock.widget()
    assert inspector.note.isVisible() and inspector.editor.isVisible()
    assert scroll.verticalScrollBar().maximum() == 0          # everything shown, no scrolling
