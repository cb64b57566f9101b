"""The network diagram, driven like a person: click, hover, keys, context menu; then check
the session and what the diagram shows."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QMenu

from backprop_gui.engine.network import Gradients
from backprop_gui.engine.selection import Selection
from backprop_gui.session.training_clock import TrainingFrame
from backprop_gui.ui.diagram import Highlight, NetworkView
from backprop_gui.ui.diagram.edges import N_MAG
from backprop_gui.ui.diagram.highlight import compact, fmt
from backprop_gui.ui.diagram.nodes import NeuronItem


@pytest.fixture
def view(qtbot, session):
    v = NetworkView(session)
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.show()
    qtbot.waitExposed(v)
    return v


def at(view: NetworkView, scene_point: QPointF) -> QPoint:
    return view.mapFromScene(scene_point)


def hover(view: NetworkView, pos: QPoint) -> None:
    """Move the mouse over the viewport, delivered at once on every platform (on a real X
    server qtbot.mouseMove moves the pointer and the event arrives later)."""
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    vp = view.viewport()
    event = QMouseEvent(QMouseEvent.Type.MouseMove, QPointF(pos), QPointF(vp.mapToGlobal(pos)),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, event)


def find_action(menu: QMenu, text: str):
    for action in menu.actions():
        if action.text() == text:
            return action
        if action.menu() is not None:
            found = find_action(action.menu(), text)
            if found is not None:
                return found
    return None


def training_frame(view: NetworkView, session, streaming: bool = True) -> None:
    """What a training frame does to the view: the session's signals (the network changed
    in place), then the clock's frame; and the recolour that follows on the next loop turn."""
    session.parameters_updated_in_place()
    view.on_training_frame(TrainingFrame(epoch=1, steps=1, epoch_ended=False, streaming=streaming))
    view.legend()


def end_of_stream(view: NetworkView) -> None:
    """The frame the clock sends when a stream of frames ends (Pause, a stop)."""
    view.on_training_frame(TrainingFrame(epoch=1, steps=1, epoch_ended=False, streaming=False))
    view.legend()


def is_red(color: QColor) -> bool:
    return color.red() > color.blue()


# ----- what it shows --------------------------------------------------------------------------

def test_one_neuron_item_per_neuron(view, session):
    assert session.network.sizes == [16, 6, 6, 2]
    items = [it for it in view.scene().items() if isinstance(it, NeuronItem)]
    assert len(items) == 30
    for layer, n in enumerate(session.network.sizes):
        assert sorted(it.index for it in items if it.layer == layer) == list(range(n))


def test_headers_name_layers_and_output_labels_show_predictions(view, session):
    headers = [h.text() for h in view.scene().labels.headers]
    assert headers == ["Input · 16", "Hidden 1 · ReLU · 6", "Hidden 2 · ReLU · 6", "Output · Softmax · 2"]
    y_hat = session.trace().output[0]
    labels = [item.text() for item in view.scene().labels.output_labels]
    assert "“0”" in labels[0] and fmt(y_hat[0], 2) in labels[0]
    assert "“1”" in labels[1] and fmt(y_hat[1], 2) in labels[1]
    assert "Cross-entropy" in view.scene().labels.subheaders[-1].text()


def test_resize_layer_rebuilds_with_new_count_and_undo(view, session):
    session.resize_layer(1, 7)
    assert len(view.scene().neurons[1]) == 7
    assert view.scene().labels.headers[1].text() == "Hidden 1 · ReLU · 7"
    session.undo_stack.undo()
    assert len(view.scene().neurons[1]) == 6


# ----- selecting and hovering -------------------------------------------------------------------

def test_click_neuron_selects_it_and_empty_space_clears(qtbot, view, session):
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, view.neuron_scene_pos(1, 2)))
    assert session.selection == Selection.neuron(1, 2)
    assert view.scene().neurons[1][2].selected
    assert not view.scene().neurons[1][3].selected
    empty = view.scene().layout.layers[0].pos[0] + (0.0, -400.0)   # above the input column
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, QPointF(*empty)))
    assert session.selection is None
    assert not view.scene().neurons[1][2].selected


@pytest.mark.parametrize("l, j, i", [(0, 3, 7), (1, 5, 5), (2, 1, 5), (0, 0, 15)])
def test_click_edge_midpoint_selects_that_weight(qtbot, view, session, l, j, i):
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, view.edge_midpoint(l, j, i)))
    assert session.selection == Selection.weight(l + 1, j, i)
    assert len(view.scene().emphasis._items) == 1


def test_hover_edge_shows_weight_and_gradient(qtbot, view, session):
    l, j, i = 1, 2, 3
    hover(view, at(view, view.edge_midpoint(l, j, i)))
    text = view.hover_text()
    assert "W²[3,4]" in text
    assert fmt(session.network.weights[l][j, i]) in text
    assert fmt(session.gradients().dW[l][j, i]) in text
    # the hovered edge is emphasised
    assert len(view.scene().emphasis._items) == 1


def test_hover_neuron_shows_activation_bias_and_delta(qtbot, view, session):
    hover(view, at(view, view.neuron_scene_pos(2, 4)))
    text = view.hover_text()
    assert "Neuron 5 of hidden layer 2" in text
    assert fmt(session.trace().z[2][0, 4]) in text
    assert fmt(session.network.biases[1][4]) in text
    assert fmt(session.gradients().dz[2][0, 4]) in text


def test_the_hover_cards_say_what_the_legend_says(qtbot, view, session):
    """In Gradients view the edge card said "width and colour show the weight" while the
    legend said ∂L/∂w."""
    edge, neuron = at(view, view.edge_midpoint(1, 2, 3)), at(view, view.neuron_scene_pos(2, 4))
    for mode, edge_says, neuron_says, legend_says in (
            ("weights", "colour and width show the weight w", "colour shows the activation a",
             "weight w"),
            ("gradients", "colour and width show ∂L/∂w (sample 1)",
             "colour shows δ = ∂L/∂z (sample 1)", "∂L/∂w")):
        view.set_color_mode(mode)
        assert legend_says in view.legend().titles()[0]
        hover(view, edge)
        assert edge_says in view.hover_text()
        hover(view, neuron)
        assert neuron_says in view.hover_text()
        assert "weight" not in view.hover_text().split("Click to select")[-1] or mode == "weights"
    view.set_gradient_source(lambda: session.gradients(), "batch of 24")
    hover(view, edge)
    assert "colour and width show ∂L/∂w (batch of 24)" in view.hover_text()


def test_selection_from_session_is_drawn(view, session):
    session.select(Selection.weight(3, 1, 3))
    assert len(view.scene().emphasis._items) == 1
    session.select(Selection.neuron(0, 3))
    assert view.scene().neurons[0][3].selected
    assert view.scene().emphasis._items == []
    session.select(Selection.bias(2, 2))   # a bias belongs to neuron 3 of layer 2
    assert view.scene().neurons[2][2].selected


# ----- editing -------------------------------------------------------------------------------

def test_context_menu_add_neuron_then_undo_restores_exactly(view, session):
    before = session.network.copy()
    menu = view.build_context_menu(view.neuron_scene_pos(1, 0))
    find_action(menu, "Add neuron").trigger()
    assert session.network.sizes == [16, 7, 6, 2]
    assert len(view.scene().neurons[1]) == 7
    session.undo_stack.undo()
    assert session.network.sizes == before.sizes
    for W0, W1 in zip(before.weights, session.network.weights):
        assert np.array_equal(W0, W1)
    assert len(view.scene().neurons[1]) == 6


def test_context_menu_on_input_layer_disables_resizing(view):
    menu = view.build_context_menu(view.neuron_scene_pos(0, 5))
    add = find_action(menu, "Add neuron")
    assert not add.isEnabled()
    assert "one neuron per input" in add.toolTip()
    assert not find_action(menu, "Remove this layer").isEnabled()


def test_refused_edit_is_posted_not_raised(qtbot, view, session):
    menu = view.build_context_menu(view.neuron_scene_pos(3, 0))
    with qtbot.waitSignal(view.message_posted) as blocker:
        find_action(menu, "Remove neuron").trigger()   # softmax needs two outputs
    assert "Softmax" in blocker.args[0]
    assert session.network.sizes == [16, 6, 6, 2]


def test_softmax_is_disabled_on_hidden_layers_and_activation_changes(view, session):
    menu = view.build_context_menu(view.neuron_scene_pos(1, 0))
    softmax = find_action(menu, "Softmax")
    assert not softmax.isEnabled()
    assert "output layer" in softmax.toolTip()
    relu = find_action(menu, "ReLU")
    assert relu.isCheckable() and relu.isChecked()
    find_action(menu, "Tanh").trigger()
    assert session.network.activation_names[0] == "tanh"
    assert view.scene().labels.headers[1].text() == "Hidden 1 · Tanh · 6"
    session.undo_stack.undo()
    assert session.network.activation_names[0] == "relu"


def test_loss_menu_posts_the_note_when_the_output_changes(qtbot, view, session):
    menu = view.build_context_menu(view.neuron_scene_pos(3, 1))
    with qtbot.waitSignal(view.message_posted) as blocker:
        find_action(menu, "Binary cross-entropy").trigger()
    assert session.network.loss_name == "binary_cross_entropy"
    assert "output" in blocker.args[0]
    session.undo_stack.undo()
    assert session.network.loss_name == "cross_entropy"


def test_context_menu_layer_insert_and_remove(view, session):
    menu = view.build_context_menu(view.neuron_scene_pos(1, 0))
    find_action(menu, "Add hidden layer after").trigger()
    assert session.network.sizes == [16, 6, 4, 6, 2]
    menu = view.build_context_menu(view.neuron_scene_pos(2, 0))
    find_action(menu, "Remove this layer").trigger()
    assert session.network.sizes == [16, 6, 6, 2]
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.network.sizes == [16, 6, 6, 2]


def test_keyboard_adds_and_removes_neurons_and_layers(qtbot, view, session):
    session.select(Selection.neuron(1, 2))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert session.network.sizes[1] == 7
    assert session.selection == Selection.neuron(1, 2)       # still there: + can be pressed again
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert session.network.sizes[1] == 6
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert session.network.sizes == [16, 6, 2]
    session.select(Selection.neuron(2, 0))                   # now the output layer
    with qtbot.waitSignal(view.message_posted):
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert session.network.sizes == [16, 6, 2]
    for _ in range(3):
        session.undo_stack.undo()
    assert session.network.sizes == [16, 6, 6, 2]


def test_alt_arrow_keys_move_the_selection(qtbot, view, session):
    alt = Qt.KeyboardModifier.AltModifier        # the plain arrows step (ui/stepper)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, alt)
    assert session.selection == Selection.neuron(0, 0)
    qtbot.keyClick(view, Qt.Key.Key_Down, alt)
    assert session.selection == Selection.neuron(0, 1)
    qtbot.keyClick(view, Qt.Key.Key_Right, alt)
    assert session.selection.is_neuron and session.selection.layer == 1
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert session.selection is None


def test_context_menu_on_a_weight_offers_its_explanation(qtbot, view, session):
    point = view.scene().edges[1].segment(2, 4).pointAt(0.3)   # W²[3,5], away from crossings
    menu = view.build_context_menu(point)
    action = find_action(menu, "Explain ∂L/∂W²[3,5] Step by Step")
    assert action is not None and menu.actions()[0] is action
    with qtbot.waitSignal(view.explain_requested) as blocker:
        action.trigger()
    assert blocker.args == [Selection.weight(2, 2, 4)]
    assert session.selection == Selection.weight(2, 2, 4)
    # Not over a neuron, nor over empty space.
    assert find_action(view.build_context_menu(view.neuron_scene_pos(1, 0)), "Explain") is None
    names = [a.text() for a in view.build_context_menu(QPointF(0.0, -2000.0)).actions()]
    assert not any(n.startswith("Explain") for n in names)


def test_keyboard_focus_is_visible(qtbot, session):
    """Tabbing to the diagram showed nothing: a keyboard user could not tell where keys go."""
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    field = QLineEdit()
    view = NetworkView(session)
    layout = QVBoxLayout(window)
    layout.addWidget(field)
    layout.addWidget(view)
    window.resize(900, 700)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.waitUntil(view.hasFocus)
    assert view.has_keyboard_focus_frame()
    image = view.viewport().grab().toImage()
    highlight = view.palette().color(QPalette.ColorRole.Highlight)
    assert image.pixelColor(image.width() // 2, 1).rgb() == highlight.rgb()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not view.has_keyboard_focus_frame()


def test_page_keys_step_through_samples_as_in_the_input_panel(qtbot, view, session):
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert session.selected_sample == 2
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert session.selected_sample == 1
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert session.selected_sample == 0       # stops at the first sample
    session.select_sample(session.dataset.n_samples - 1)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert session.selected_sample == session.dataset.n_samples - 1


def test_keyboard_reaches_every_weight(qtbot, view, session):
    """Alt+Shift+← / Alt+Shift+→ step from a neuron onto a weight, Alt+↑/↓ go through the
    weights into the same neuron: Explain ∂L/∂w works without a mouse."""
    alt = Qt.KeyboardModifier.AltModifier
    shift = alt | Qt.KeyboardModifier.ShiftModifier
    view.setFocus()
    session.select(Selection.neuron(2, 3))
    qtbot.keyClick(view, Qt.Key.Key_Left, shift)
    assert session.selection == Selection.weight(2, 3, 3)        # W²[4,4]: from neuron 4 of layer 1
    qtbot.keyClick(view, Qt.Key.Key_Down, alt)
    assert session.selection == Selection.weight(2, 3, 4)
    qtbot.keyClick(view, Qt.Key.Key_Up, alt)
    qtbot.keyClick(view, Qt.Key.Key_Up, alt)
    assert session.selection == Selection.weight(2, 3, 2)
    assert "W²[4,3]" in view.hover_text()
    qtbot.keyClick(view, Qt.Key.Key_Left, alt)
    assert session.selection == Selection.neuron(1, 2)
    qtbot.keyClick(view, Qt.Key.Key_Right, shift)
    assert session.selection == Selection.weight(2, 2, 2)        # out of neuron 3 of layer 1
    qtbot.keyClick(view, Qt.Key.Key_Right, alt)
    assert session.selection == Selection.neuron(2, 2)
    session.select(Selection.neuron(3, 0))                         # the output: nothing further right
    qtbot.keyClick(view, Qt.Key.Key_Right, shift)
    assert session.selection == Selection.neuron(3, 0)


def test_hover_buttons_appear_over_a_column_and_add_a_neuron(qtbot, view, session):
    scene = view.scene()
    hover(view, at(view, view.neuron_scene_pos(2, 5)))
    remove, add = scene.column_buttons[2]
    assert add.isVisible() and remove.isVisible()
    assert not scene.column_buttons[1][1].isVisible()
    hover(view, at(view, add.pos()))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, add.pos()))
    assert session.network.sizes == [16, 6, 7, 2]
    session.undo_stack.undo()


def test_gap_button_inserts_a_hidden_layer(qtbot, view, session):
    scene = view.scene()
    button = scene.gap_buttons[3]
    hover(view, at(view, button.pos() + QPointF(0, 60)))
    assert button.isVisible()
    hover(view, at(view, button.pos()))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, button.pos()))
    assert session.network.sizes == [16, 6, 6, 4, 2]
    session.undo_stack.undo()
    assert session.network.sizes == [16, 6, 6, 2]


# ----- colours and numbers -------------------------------------------------------------------

def test_weight_sign_flip_recolours_in_place(view, session):
    l, j, i = 1, 0, 0
    w = session.network.weights[l][j, i]
    edges_before = list(view.scene().edges)
    neuron_before = view.scene().neurons[2][0]
    before = view.edge_color(l, j, i)
    assert is_red(before) == (w > 0)
    assert (view.scene().edges[l].bucket_of(j, i) >= N_MAG) == (w >= 0)
    session.set_weight(l, j, i, -w)
    after = view.edge_color(l, j, i)
    assert is_red(after) == (w < 0)
    assert (view.scene().edges[l].bucket_of(j, i) >= N_MAG) == (w < 0)
    assert view.scene().edges == edges_before and view.scene().neurons[2][0] is neuron_before
    session.undo_stack.undo()
    assert view.edge_color(l, j, i) == before


def test_gradients_mode_legend_shows_max_gradient(qtbot, view, session):
    with qtbot.waitSignal(view.color_mode_changed) as blocker:
        view.set_color_mode("gradients")
    assert blocker.args == ["gradients"]
    grads = session.gradients()
    limit = max(np.max(np.abs(g)) for g in grads.dW)
    texts = view.legend().texts()
    assert "+" + fmt(limit) in texts and fmt(-limit) in texts
    assert any("∂L/∂w" in t for t in texts)
    # nodes show δ: the output neuron's colour follows the sign of ∂L/∂z
    dz = grads.dz[3][0]
    fill = view.scene().neurons[3][0].fill
    assert is_red(fill) == (dz[0] > 0)
    view.set_color_mode("weights")
    limit_w = max(np.max(np.abs(W)) for W in session.network.weights)
    assert "+" + fmt(limit_w) in view.legend().texts()
    with pytest.raises(ValueError):
        view.set_color_mode("rainbow")


def test_gradient_source_can_be_replaced_or_not_ready(view, session):
    view.set_color_mode("gradients")
    view.set_gradient_source(lambda: None)
    assert any("not computed" in t for t in view.legend().texts())
    g = session.gradients()
    doubled = Gradients([2 * x for x in g.dW], [2 * x for x in g.db], g.dz, g.da)
    view.set_gradient_source(lambda: doubled, label="batch of 2")
    limit = max(np.max(np.abs(x)) for x in doubled.dW)
    texts = view.legend().texts()
    assert "+" + fmt(limit) in texts
    assert any("batch of 2" in t for t in texts)
    view.set_gradient_source(None)
    assert "+" + fmt(limit / 2) in view.legend().texts()


def test_dead_relu_is_marked(qtbot, view, session):
    assert not view.scene().neurons[1][0].dead
    session.set_bias(0, 0, -100.0)
    view.legend()   # recolour now rather than on the next event-loop turn
    assert view.scene().neurons[1][0].dead
    assert any("dead ReLU" in t for t in view.legend().texts())
    hover(view, at(view, view.neuron_scene_pos(1, 0)))
    assert "dead" in view.hover_text()
    session.undo_stack.undo()
    view.legend()
    assert not view.scene().neurons[1][0].dead


def test_training_stream_refreshes_dead_marks_lazily_then_exactly(qtbot, view, session):
    """While training streams frames, the dead-ReLU marks (a forward pass over the whole
    dataset) may lag by up to DEAD_REFRESH_MS; the frame that ends the stream makes them exact."""
    from backprop_gui.ui.diagram.motion import DEAD_REFRESH_MS

    view.set_highlight(Highlight(layer=2, neurons={2: [1]}, edge_layers=[3], direction="backward",
                                 label="∂L/∂a²"))
    assert view.scene().neurons[2][1].lit
    training_frame(view, session)
    training_frame(view, session)
    assert view.motion.in_motion            # edges drawn for speed, numbers wait
    assert not view.scene().neurons[2][1].lit    # a step's highlight is stale while training
    # The step-through refreshes its page a few times a second meanwhile: still unlit.
    view.set_highlight(Highlight(layer=2, neurons={2: [0]}, edge_layers=[3], direction="backward",
                                 label="∂L/∂a²"))
    assert not view.scene().neurons[2][0].lit
    session.network.biases[0][0] = -100.0     # a training step kills neuron 1 of layer 1
    training_frame(view, session)
    assert not view.scene().neurons[1][0].dead   # not yet: the marks are from before
    # Frames go on streaming: the marks follow within DEAD_REFRESH_MS.
    qtbot.waitUntil(lambda: training_frame(view, session) or view.scene().neurons[1][0].dead,
                    timeout=4 * DEAD_REFRESH_MS)
    assert view.motion.in_motion
    assert not view.scene().neurons[1][1].dead
    session.network.biases[0][1] = -100.0     # the last step kills neuron 2 …
    training_frame(view, session)
    assert not view.scene().neurons[1][1].dead
    end_of_stream(view)                       # … and training stops: exact at once
    assert not view.motion.in_motion
    assert view.scene().neurons[1][1].dead
    assert view.scene().neurons[2][0].lit    # the latest highlight, once training stops
    assert view.scene().edges[0].cacheMode() == view.scene().edges[0].CacheMode.DeviceCoordinateCache


def test_sample_change_updates_input_pixels(view, session):
    ds = session.dataset
    other = next(k for k in range(ds.n_samples) if not np.array_equal(ds.inputs[k], ds.inputs[0]))
    session.select_sample(other)
    view.legend()
    pixels = ds.inputs[other]
    inputs = view.scene().neurons[0]
    assert len(inputs) == ds.n_inputs == 16            # the loop below visits every pixel
    # Ink (1) black, paper (0) white, exactly as the pixel editor draws them.
    greys = [round(255 * (1.0 - min(max(v, 0.0), 1.0))) for v in pixels]
    assert [(item.fill.red(), item.fill.green(), item.fill.blue()) for item in inputs] == [
        (g, g, g) for g in greys]
    assert any((item.fill.red() < 128) != (ds.inputs[0][j] > 0.5)
               for j, item in enumerate(inputs))      # sample 1 would look different


# ----- highlight ---------------------------------------------------------------------------

def test_highlight_lights_neurons_and_edges_with_direction(view):
    h = Highlight(layer=2, neurons={2: [1]}, edge_layers=[3], direction="backward", label="∂L/∂a²")
    view.set_highlight(h)
    scene = view.scene()
    assert scene.neurons[2][1].lit and not scene.neurons[2][1].dimmed
    assert scene.neurons[2][0].dimmed and not scene.neurons[2][0].lit
    assert scene.highlight.active and scene.highlight.backward
    assert len(scene.highlight._lines) == 2          # the two edges from neuron 2 of layer 2
    assert scene.caption.text == "∂L/∂a²  ←"
    view.set_highlight(Highlight(layer=1, edge_layers=[1], direction="forward", label="z¹"))
    assert all(n.lit for n in scene.neurons[1])
    assert len(scene.highlight._lines) == 96 and not scene.highlight.backward
    assert scene.caption.text == "z¹  →"
    view.set_highlight(Highlight(label="nowhere to put it"))   # no layer, no edges
    assert not scene.caption.isVisible()
    view.set_highlight(Highlight(layer=9, neurons={9: [0], 1: [99]}, edge_layers=[9], label="x"))
    assert not scene.highlight.active                           # names nothing that exists
    view.set_highlight(None)
    assert not scene.highlight.active and not scene.caption.isVisible()
    assert not any(n.lit or n.dimmed for row in scene.neurons for n in row)
    with pytest.raises(ValueError):
        view.set_highlight(Highlight(direction="sideways"))


def lit_layers(view) -> dict[int, list[int]]:
    """The neurons drawn lit, by layer; every other neuron must be drawn dimmed."""
    lit: dict[int, list[int]] = {}
    for row in view.scene().neurons:
        for n in row:
            assert n.lit != n.dimmed, (n.layer, n.index)
            if n.lit:
                lit.setdefault(n.layer, []).append(n.index)
    return lit


def test_highlight_survives_a_structure_change(view, session):
    view.set_highlight(Highlight(layer=3, edge_layers=[3], label="ŷ"))
    scene = view.scene()
    assert lit_layers(view) == {3: [0, 1]}                 # the output layer of 16-6-6-2
    assert len(scene.highlight._lines) == 2 * 6            # every edge of W³
    session.add_layer(1)   # 16-4-6-6-2: the highlight still names valid layers, now others
    scene = view.scene()
    assert [len(row) for row in scene.neurons] == [16, 4, 6, 6, 2]
    assert lit_layers(view) == {3: list(range(6))}
    assert len(scene.highlight._lines) == 6 * 6 and not scene.highlight.backward
    assert scene.caption.isVisible() and scene.caption.text == "ŷ  →"
    session.undo_stack.undo()
    scene = view.scene()
    assert lit_layers(view) == {3: [0, 1]}
    assert len(scene.highlight._lines) == 2 * 6
    assert scene.caption.text == "ŷ  →"


# ----- zoom, export, palette -------------------------------------------------------------------

def test_zoom_keys_and_fit(qtbot, view):
    fitted = view.zoom_level()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom_level() == pytest.approx(fitted * 1.25)
    view.zoom_out()
    view.zoom_out()
    assert view.zoom_level() < fitted
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom_level() == pytest.approx(fitted)
    view.reset_zoom()
    assert view.zoom_level() == pytest.approx(1.0)


def test_drag_on_empty_space_pans_without_clearing_selection(qtbot, view, session):
    session.select(Selection.neuron(1, 1))
    view.zoom_in()
    view.zoom_in()
    vp = view.viewport()
    start = QPoint(vp.width() // 2, 12)   # the top strip: no neuron or edge there
    assert view.item_at(start) is None
    centre = view.mapToScene(vp.rect().center())
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(vp, start + QPoint(20 * step, 10 * step))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=start + QPoint(100, 50))
    moved = view.mapToScene(vp.rect().center())
    assert moved.x() < centre.x() - 20 and moved.y() < centre.y() - 10
    assert session.selection == Selection.neuron(1, 1)


def test_middle_button_pans(qtbot, view):
    vp = view.viewport()
    view.zoom_in()
    start = view.mapFromScene(view.neuron_scene_pos(1, 0))
    centre = view.mapToScene(vp.rect().center())
    qtbot.mousePress(vp, Qt.MouseButton.MiddleButton, pos=start)
    qtbot.mouseMove(vp, start + QPoint(-80, 0))
    qtbot.mouseRelease(vp, Qt.MouseButton.MiddleButton, pos=start + QPoint(-80, 0))
    assert view.mapToScene(vp.rect().center()).x() > centre.x() + 40


def test_wheel_zooms_under_the_mouse(view):
    from PySide6.QtCore import QPointF as P
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    before = view.zoom_level()
    pos = view.mapFromScene(view.neuron_scene_pos(2, 0))
    event = QWheelEvent(P(pos), P(view.viewport().mapToGlobal(pos)), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    assert view.zoom_level() > before * 1.1


def test_whole_network_is_visible_after_fit(view):
    view.fit_to_view()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.scene().content_rect())


def test_export_png_and_svg(tmp_path, view):
    png, svg = tmp_path / "net.png", tmp_path / "net.svg"
    view.export_png(png)
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 1000 and png.stat().st_size > 20_000
    view.export_svg(svg)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and len(text) > 20_000
    with pytest.raises(OSError):
        view.export_png(tmp_path / "missing-folder" / "x.png")


def test_dark_palette_is_followed(view):
    palette = QPalette(view.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor(30, 30, 30))
    palette.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    view.setPalette(palette)
    assert view._theme.dark
    assert view.scene().labels.headers[0].brush().color().lightness() > 128
    assert not view.grab().isNull()


def test_dataset_with_ten_classes_rebuilds_outputs(view, session):
    session.load_builtin_dataset("digits")
    assert len(view.scene().neurons[-1]) == session.network.sizes[-1] == 10
    assert "“9”" in view.scene().labels.output_labels[9].text()
    session.undo_stack.undo()
    assert len(view.scene().neurons[-1]) == 2


def test_a_network_that_does_not_fit_the_dataset_is_explained(qtbot, view, session):
    """replace_network with 784 inputs over a 16-input dataset left an empty diagram."""
    from backprop_gui.engine.network import Network

    session.replace_network("Bigger", Network.build([784, 12, 10], ["relu", "softmax"],
                                                    "cross_entropy", seed=0))
    view.legend()                                    # flush the pending recolour
    assert "784" in view.problem() and not view.grab().isNull()
    session.undo_stack.undo()
    view.legend()
    assert view.problem() == ""


def test_edges_draw_zeros_first_then_weak_to_strong_with_signs_interleaved(qapp):
    from PySide6.QtGui import QGuiApplication

    from backprop_gui.ui.diagram.edges import ZERO, EdgeLayerItem
    from backprop_gui.ui.diagram.style import DiagramColors

    n_in, n_out = 40, 30
    src = np.column_stack([np.zeros(n_in), np.arange(n_in, dtype=float)])
    dst = np.column_stack([np.full(n_out, 100.0), np.arange(n_out, dtype=float)])
    item = EdgeLayerItem(1, src, dst, DiagramColors.from_palette(QGuiApplication.palette()), 10_000)
    rng = np.random.default_rng(3)
    values = rng.normal(size=(n_out, n_in))
    values[:, 0] = 0.0                      # a column of exact zeros (dead input)
    values[:3, 1:] = np.abs(values[:3, 1:])  # more + than − at some magnitudes
    item.set_values(values, limit=3.0, wide=False)

    groups = item._grouped(item.shown, opaque=False)
    pens = [pen for pen, _ in groups]
    drawn = [(line.x1(), line.y1(), line.x2(), line.y2()) for _, lines in groups for line in lines]
    assert len(drawn) == n_in * n_out and len(set(drawn)) == n_in * n_out   # each edge once
    # Which bucket each group holds, read back from its lines' edges.
    bucket_of = {tuple(item.coords[k]): int(item.buckets[k]) for k in range(item.n_edges)}
    group_buckets = [{bucket_of[(l.x1(), l.y1(), l.x2(), l.y2())] for l in lines}
                     for _, lines in groups]
    assert all(len(b) == 1 for b in group_buckets)          # one pen per group
    order = [b.pop() for b in group_buckets]
    assert order[0] == ZERO and ZERO not in order[1:]
    mags = [b % N_MAG for b in order[1:]]
    assert mags == sorted(mags)                             # strong edges lie on top
    # Within a crowded magnitude, − and + alternate rather than one colour covering the other.
    for mag in set(mags):
        signs = [b // N_MAG for b in order[1:] if b % N_MAG == mag]
        n_neg, n_pos = signs.count(0), signs.count(1)
        expected = [s for k in range(max(n_neg, n_pos)) for s, n in ((0, n_neg), (1, n_pos)) if k < n]
        assert signs == expected
    assert any(min(o.count(0), o.count(1)) >= 2 for o in (
        [b // N_MAG for b in order[1:] if b % N_MAG == m] for m in set(mags)))   # the case arose
    assert len({p.color().rgba() for p in pens}) > 2


def test_big_edge_layers_show_fewer_edges_while_training_streams(qapp):
    from PySide6.QtGui import QGuiApplication

    from backprop_gui.ui.diagram import edges as edges_module
    from backprop_gui.ui.diagram.edges import STREAMING_MAX_EDGES, EdgeLayerItem
    from backprop_gui.ui.diagram.style import DiagramColors

    n_in, n_out = 100, 40          # 4,000 weights: more than either budget
    src = np.column_stack([np.zeros(n_in), np.arange(n_in, dtype=float)])
    dst = np.column_stack([np.full(n_out, 100.0), np.arange(n_out, dtype=float)])
    item = EdgeLayerItem(1, src, dst, DiagramColors.from_palette(QGuiApplication.palette()), 1500)
    rng = np.random.default_rng(7)
    W = rng.normal(size=(n_out, n_in))
    item.set_values(W, 3.0, False)
    assert item.shown.size == 1500                       # at rest: the 1,500 strongest
    item.set_in_motion(True)
    item.set_values(W, 3.0, False)
    assert item.shown.size == STREAMING_MAX_EDGES        # in motion: fewer, the strongest
    strongest = np.sort(np.argsort(-np.abs(W).ravel())[:STREAMING_MAX_EDGES])
    assert np.array_equal(np.sort(item.shown), strongest)
    # The next frames recolour those same edges (re-picking costs more than drawing)…
    W2 = -W
    W2.flat[strongest[0]] = 0.0
    item.set_values(W2, 3.0, False)
    assert np.array_equal(np.sort(item.shown), strongest)
    assert item.bucket_of(*divmod(int(strongest[0]), n_in)) == edges_module.ZERO
    # … until a fresh pick is due.
    item._repick.interval_ms = 0.0
    item.set_values(W2, 3.0, False)
    assert strongest[0] not in set(item.shown.tolist())
    item.set_in_motion(False)                            # training stopped
    item.set_values(W2, 3.0, False)
    assert item.shown.size == 1500


def test_training_frames_redraw_only_the_edge_layers_whose_picture_changed(qtbot, view, session):
    """An edge layer keeps its cached picture through frames that leave every shown edge
    in its colour bucket; a weight that moves to another bucket redraws that layer alone."""
    scene = view.scene()
    painted = {l: 0 for l in range(len(scene.edges))}
    for l, item in enumerate(scene.edges):
        def counting(painter, option, widget=None, l=l, item=item, paint=item.paint):
            painted[l] += 1
            paint(painter, option, widget)
        item.paint = counting

    def frame():
        training_frame(view, session)
        view.viewport().repaint()

    frame()
    frame()
    assert view.motion.in_motion
    painted.update({l: 0 for l in painted})
    frame()                         # the same weights: nothing to redraw
    frame()
    assert painted == {0: 0, 1: 0, 2: 0}
    W = session.network.weights[1]
    j, i = np.unravel_index(np.argmin(np.abs(W)), W.shape)
    before = scene.edges[1].bucket_of(j, i)
    W[j, i] = -W[j, i] if W[j, i] else 1e-3      # the weakest weight changes sign
    frame()
    assert scene.edges[1].bucket_of(j, i) != before
    assert painted == {0: 0, 1: 1, 2: 0}
    end_of_stream(view)                       # training stopped:
    assert not view.motion.in_motion
    view.viewport().repaint()                 # smooth lines again
    assert painted == {0: 1, 1: 2, 2: 1}


def test_labels_follow_training_a_few_times_a_second(qtbot, view, session):
    def output_text():
        return " ".join(item.text() for item in view.scene().labels.output_labels)

    view.motion.legend_throttle.interval_ms = 10_000
    training_frame(view, session)
    training_frame(view, session)
    assert view.motion.in_motion
    shown = output_text()
    b = session.network.biases[-1]
    b[:] = 0.0
    b[0] = 5.0                                   # training changes what the output says
    training_frame(view, session)
    assert output_text() == shown                # the label waits (60 changes a second)
    view.motion.legend_throttle.interval_ms = 0        # its turn comes
    training_frame(view, session)
    assert output_text() != shown
    shown = output_text()
    view.motion.legend_throttle.interval_ms = 10_000
    b[0], b[1] = 0.0, 5.0
    training_frame(view, session)
    assert output_text() == shown
    end_of_stream(view)
    assert output_text() != shown                # exact once training stops


def test_neuron_numbers_follow_training_a_few_times_a_second(qtbot, view, session):
    from backprop_gui.ui.diagram.nodes import NUMBER_GROUPS

    def frame():
        training_frame(view, session)
        view.viewport().repaint()

    view.motion.numbers_throttle.interval_ms = 10_000
    view.viewport().repaint()
    j = next(j for j, n in enumerate(view.scene().neurons[1]) if n.value and n.value > 0)
    hidden = view.scene().neurons[1][j]           # a neuron active for this sample
    assert hidden.text_shown                      # 1280 pixels wide: numbers inside
    frame()
    frame()
    assert view.motion.in_motion
    assert hidden.cacheMode() == hidden.CacheMode.DeviceCoordinateCache   # kept: cheap blits
    old_value = hidden.value
    session.network.biases[0][j] += 1e-6          # a training step nudges the value (same colour)
    frame()
    assert hidden.value != old_value              # the number is current…
    assert hidden._number_stale                   # … its picture not yet (no repaint)
    view.motion.numbers_throttle.interval_ms = 0        # a quarter second later: every group's turn
    for _ in range(NUMBER_GROUPS):
        frame()
    assert not hidden._number_stale               # redrawn with the new number
    assert hidden.value_text == compact(hidden.value)
    view.motion.numbers_throttle.interval_ms = 10_000
    session.network.biases[0][j] += 1e-6
    frame()
    assert hidden._number_stale
    for _ in range(3):
        view.zoom_out()                           # a zoom redraws it at once
    assert not hidden._number_stale
    session.network.biases[0][j] += 1e-6
    frame()
    assert hidden._number_stale
    end_of_stream(view)                           # training stopped
    assert not hidden._number_stale


def test_numbers_never_read_minus_zero():
    # −log 1 = −0.0: a network sure of the right answer has loss 0, not "−0".
    assert fmt(-0.0) == "0" and fmt(0.0) == "0"
    assert fmt(-0.25) == "−0.25" and fmt(-1.5e-7) == "−1.5×10⁻⁷"
    assert compact(-0.0) == "0"
