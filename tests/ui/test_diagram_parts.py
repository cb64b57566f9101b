"""The network diagram's parts on their own, without a NetworkView: the keyboard walk, Motion
(the one owner of "draw for speed"), the legend overlay, the scene's labels and Colouring."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGraphicsScene

from backprop_gui.engine.network import Network
from backprop_gui.engine.selection import Selection
from backprop_gui.session.training_clock import TrainingFrame
from backprop_gui.ui.diagram.colouring import Colouring
from backprop_gui.ui.diagram.foreground import LegendOverlay
from backprop_gui.ui.diagram.keys import walk_target
from backprop_gui.ui.diagram.label_rows import SceneLabels
from backprop_gui.ui.diagram.layout import compute_layout
from backprop_gui.ui.diagram.legend import ColorBar, LegendSpec, Note
from backprop_gui.ui.diagram.motion import Motion
from backprop_gui.ui.diagram.scene import DiagramScene
from backprop_gui.ui.diagram.style import DiagramColors

SIZES = [16, 6, 6, 2]
Key = Qt.Key


def theme() -> DiagramColors:
    return DiagramColors.from_palette(QGuiApplication.palette())


def frame(streaming: bool) -> TrainingFrame:
    return TrainingFrame(epoch=1, steps=1, epoch_ended=False, streaming=streaming)


# ----- the keyboard walk -------------------------------------------------------------------------

@pytest.mark.parametrize("start, key, shift, target", [
    (None, Key.Key_Right, False, Selection.neuron(0, 0)),             # nothing selected: the first input
    (Selection.neuron(2, 3), Key.Key_Up, False, Selection.neuron(2, 2)),
    (Selection.neuron(2, 5), Key.Key_Down, False, Selection.neuron(2, 5)),   # the last stays
    (Selection.neuron(2, 3), Key.Key_Left, False, Selection.neuron(1, 3)),   # (3.5/6)·6 → 3
    (Selection.neuron(0, 15), Key.Key_Right, False, Selection.neuron(1, 5)),  # (15.5/16)·6 → 5
    (Selection.neuron(2, 3), Key.Key_Left, True, Selection.weight(2, 3, 3)),  # the weight coming in
    (Selection.neuron(2, 3), Key.Key_Right, True, Selection.weight(3, 1, 3)),  # going out: (3.5/6)·2 → 1
    (Selection.neuron(3, 0), Key.Key_Right, True, Selection.neuron(3, 0)),   # nothing right of the output
    (Selection.weight(2, 3, 3), Key.Key_Down, False, Selection.weight(2, 3, 4)),
    (Selection.weight(2, 3, 0), Key.Key_Up, False, Selection.weight(2, 3, 0)),
    (Selection.weight(2, 3, 4), Key.Key_Left, False, Selection.neuron(1, 4)),  # its source
    (Selection.weight(2, 3, 4), Key.Key_Right, False, Selection.neuron(2, 3)),  # its target
    (Selection.bias(2, 2), Key.Key_Down, False, Selection.neuron(2, 3)),      # a bias: its neuron
])
def test_arrow_keys_walk_the_network(start, key, shift, target):
    assert walk_target(SIZES, start, key, shift) == target


# ----- Motion -------------------------------------------------------------------------------------

def test_motion_alone_puts_the_items_in_motion_and_out(session):
    scene = DiagramScene(theme())
    scene.build(session.network, session.dataset, None, {})
    motion = Motion(session, scene)
    hidden, pixel = scene.neurons[1][0], scene.neurons[0][0]
    motion.on_training_frame(frame(streaming=True))
    assert not motion.in_motion and not scene.edges[0].in_motion   # not before the recolour
    assert motion.begin_recolour() and motion.in_motion
    assert all(item.in_motion for item in scene.edges)
    hidden.set_state(hidden.fill, 0.25, False)      # a new number alone waits …
    pixel.set_state(pixel.fill, 0.25, False)        # … but never an input's
    assert hidden._number_stale and not pixel._number_stale
    assert motion.legend_due() and not motion.legend_due()   # a few times a second
    motion.on_values_changed()                      # an edit of its own: exact again
    assert not motion.begin_recolour() and not motion.in_motion
    assert not any(item.in_motion for item in scene.edges)
    assert not hidden._number_stale                 # drawn with its number at once
    assert motion.legend_due() and motion.legend_due()      # every time when still


def test_motion_ends_with_the_frame_that_ends_a_stream_and_forgets_a_rebuilt_scene(session):
    scene = DiagramScene(theme())
    scene.build(session.network, session.dataset, None, {})
    motion = Motion(session, scene)
    motion.on_training_frame(frame(streaming=True))
    motion.begin_recolour()
    motion.on_training_frame(frame(streaming=False))
    assert not motion.begin_recolour() and not scene.edges[0].in_motion
    motion.on_training_frame(frame(streaming=True))
    motion.begin_recolour()
    scene.build(session.network, session.dataset, None, {})   # new items, not in motion
    motion.reset()
    assert not motion.in_motion
    motion.on_training_frame(frame(streaming=True))
    assert motion.begin_recolour() and all(item.in_motion for item in scene.edges)


# ----- the legend overlay --------------------------------------------------------------------------

def test_legend_overlay_shows_new_numbers_only_when_due_but_new_entries_at_once(qapp):
    overlay = LegendOverlay()
    first = LegendSpec([ColorBar("weight w", None, -1.0, 1.0)])
    overlay.show(first, numbers_due=True)
    assert overlay.spec is first
    overlay.show(LegendSpec([ColorBar("weight w", None, -2.0, 2.0)]), numbers_due=False)
    assert overlay.spec is first                   # the same entries: the numbers wait
    noted = LegendSpec([ColorBar("weight w", None, -2.0, 2.0), Note("dead ReLU")])
    overlay.show(noted, numbers_due=False)
    assert overlay.spec is noted                   # another entry: shown at once


# ----- the scene's labels ---------------------------------------------------------------------------

def test_scene_labels_alone_name_the_layers_and_shorten_a_crowded_row(qapp):
    net = Network.build([2, 3, 1], loss="mse")
    labels = SceneLabels(QGraphicsScene(), theme())
    labels.build(net, compute_layout(net.sizes), input_grid=False)
    assert [h.text() for h in labels.headers] == ["Input · 2", "Hidden 1 · ReLU · 3",
                                                  "Output · Sigmoid · 1"]
    assert [i.text() for i in labels.input_labels] == ["x₁", "x₂"]
    assert not labels.crowded()
    crowded = SceneLabels(QGraphicsScene(), theme())
    crowded.build(net, compute_layout(net.sizes, column_gap=5.0), input_grid=False)
    assert crowded.crowded()                       # one-line headers cannot fit: they shrink
    crowded.set_compact(True)
    assert crowded.headers[1].text() == "Hidden 1\nReLU · 3"   # two lines in a crowded view


def test_a_placed_label_keeps_its_anchor_when_its_text_changes(qapp):
    labels = SceneLabels(QGraphicsScene(), theme())
    item = labels.add("ŷ", 10.0)
    labels.place(item, 100.0, 50.0, "right", "bottom")
    labels.set_text(item, "a much longer text than before")
    rect = item.sceneBoundingRect()
    assert rect.right() == pytest.approx(100.0) and rect.bottom() == pytest.approx(50.0)


# ----- Colouring ------------------------------------------------------------------------------------

def test_colouring_modes_and_gradient_sources(session):
    colouring = Colouring(session, DiagramScene(theme()))
    with pytest.raises(ValueError):
        colouring.set_mode("rainbow")
    assert colouring.set_gradient_source(lambda: None, "batch") is False   # weights: nothing to redo
    assert colouring.set_mode("gradients") and not colouring.set_mode("gradients")
    assert colouring.gradients() is None           # the source has none yet
    assert colouring.set_gradient_source(None) is True
    assert colouring.gradients() is not None       # the selected sample's
    assert colouring.tooltip_for(None) == "" and colouring.notice() == ""
