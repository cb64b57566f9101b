"""The Graph panel: the selected parameter's chain to the loss with the engine's numbers,
filled in as the step-through goes, and its chain rule written out."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from backprop_gui.engine.dataset import Dataset
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import Project
from backprop_gui.engine.selection import Selection
from backprop_gui.session.session import Session
from backprop_gui.ui.graph import GraphPanel
from backprop_gui.ui.graph.canvas import PENDING
from backprop_gui.ui.graph.panel import PAGE_EMPTY, PAGE_GRAPH
from backprop_gui.ui.common.formatting import fmt, full


def one_input_session(net: Network, x: float = 2.0, label: int = 1) -> Session:
    # A one-input dataset of one sample (x, y); the target of a one-output network is the label.
    dataset = Dataset("one", "One input", [[x]], [label], ["0", "1"])
    return Session(Project(network=net, dataset=dataset))


def one_one_one() -> Network:
    return Network([1, 1, 1], ["sigmoid", "sigmoid"], "mse",
                   [np.array([[0.5]]), np.array([[-0.3]])], [np.array([0.1]), np.array([0.2])])


def two_three_two(loss: str = "mse") -> Network:
    acts = ["sigmoid", "sigmoid"] if loss == "mse" else ["relu", "softmax"]
    return Network.build([2, 3, 2], acts, loss, seed=3, init="xavier")


def two_input_session(net: Network) -> Session:
    dataset = Dataset("two", "Two inputs", [[0.7, -0.4], [0.2, 0.9]], [1, 0], ["0", "1"])
    return Session(Project(network=net, dataset=dataset))


def make_panel(qtbot, session: Session) -> GraphPanel:
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    panel.resize(420, 900)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_the_1_1_1_graph_shows_the_engines_values_and_gradients(qtbot):
    session = one_input_session(one_one_one())
    panel = make_panel(qtbot, session)
    panel.follow_box.setChecked(False)                      # every number at once
    panel.show_parameter(Selection.weight(1, 0, 0))
    assert session.selection == Selection.weight(1, 0, 0)
    assert panel.pages.currentIndex() == PAGE_GRAPH
    trace, grads = session.trace(), session.gradients()
    loss = session.network.loss(trace, session.sample_target())
    expected = {
        "param": (0.5, grads.dW[0][0, 0]), "z1": (trace.z[1][0, 0], grads.dz[1][0, 0]),
        "a1": (trace.a[1][0, 0], grads.da[1][0, 0]), "z2": (trace.z[2][0, 0], grads.dz[2][0, 0]),
        "a2": (trace.a[2][0, 0], grads.da[2][0, 0]), "loss": (loss, 1.0),
        "product": (0.5 * 2.0, grads.dz[1][0, 0]),
    }
    for key, (value, grad) in expected.items():
        node = panel.graph.node(key)
        assert node.values == (value,) and node.grads == (grad,), key
        lines = panel.canvas.node_lines(key)
        assert fmt(value) in lines[-2] and lines[-1] == f"grad {fmt(grad)}", (key, lines)
    assert panel.canvas.node_lines("input") == ["a⁰[1]", "value 2"]
    # Pointing at a box gives every digit; at an arrow's label, the local derivative.
    canvas = panel.canvas
    canvas.grab()                                            # paints: the labels are placed
    rects = canvas._ensure_layout().rects
    tip = canvas.tooltip_at(rects["a1"].center())
    assert tip.splitlines()[1] == (f"a¹[1] = {full(trace.a[1][0, 0])};  "
                                   f"∂L/∂a¹[1] = {full(grads.da[1][0, 0])}")
    slope = trace.a[1][0, 0] * (1 - trace.a[1][0, 0])
    label_rect = next(r for r, e in canvas._label_rects if e.target == "a1")
    assert canvas.tooltip_at(label_rect.center()).splitlines() == [
        "Local derivative ∂a¹[1]/∂z¹[1]: σ′(z¹[1])", f"= {full(slope)}"]
    text = panel.chain_text()
    assert text.splitlines()[0] == "∂L/∂W¹[1,1] = ∂z¹[1]/∂W¹[1,1] · ∂a¹[1]/∂z¹[1] · ∂L/∂a¹[1]"
    assert "= a⁰[1] · σ′(z¹[1]) · Σₖ W²[k,1] · ∂L/∂z²[k]" in text
    assert text.splitlines()[-1] == (f"Backward pass: ∂L/∂W¹[1,1] = {full(grads.dW[0][0, 0])}"
                                     "  ✓ the same number")


def test_the_output_weights_chain_rule_writes_the_loss_gradient_out(qtbot):
    session = one_input_session(one_one_one())
    panel = make_panel(qtbot, session)
    panel.show_parameter(Selection.weight(2, 0, 0))
    trace = session.trace()
    a1, a2 = trace.a[1][0, 0], trace.a[2][0, 0]
    lines = panel.chain_text().splitlines()
    assert lines[1].strip() == "= a¹[1] · σ′(z²[1]) · 2(ŷ − y) / (N·K)"
    assert lines[2] == (f"where ∂L/∂ŷ[1] = 2(ŷ − y) / (N·K), with ŷ[1] = {fmt(a2, 4)}, "
                        f"y[1] = 1: {fmt(2 * (a2 - 1), 4)}")
    product = f"{fmt(a1, 4)} · {fmt(a2 * (1 - a2), 4)} · ({fmt(2 * (a2 - 1), 4)})"
    assert lines[3].strip().startswith(f"= {product} = ")


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_every_parameter_of_a_2_3_2_network_sums_to_backprops_gradient(qtbot, loss):
    session = two_input_session(two_three_two(loss))
    panel = make_panel(qtbot, session)
    net = session.network
    trace, grads = session.trace(), session.gradients()
    for l in (1, 2):
        for j in range(net.sizes[l]):
            for sel in [Selection.bias(l, j)] + [Selection.weight(l, j, i)
                                                 for i in range(net.sizes[l - 1])]:
                session.select(sel)                          # as a click in the diagram
                graph = panel.graph
                assert graph.selection == sel
                for m in range(l, 3):
                    z = graph.node(f"z{m}")
                    assert z.values == tuple(trace.z[m][0, j:j + 1] if m == l else trace.z[m][0])
                    assert z.grads == tuple(grads.dz[m][0, j:j + 1] if m == l else grads.dz[m][0])
                g = (grads.dW if sel.is_weight else grads.db)[l - 1][sel.index]
                assert graph.node("param").grads == (g,)
                assert abs(graph.rule.value - g) <= 1e-12 * max(1.0, abs(g))
                text = panel.chain_text()
                assert text.endswith(f"∂L/∂{sel.name} = {full(g)}  ✓ the same number")
                if l == 1:                                  # Σ over the 2 output neurons
                    for k in range(2):
                        term = net.weights[1][k, j] * grads.dz[2][0, k]
                        assert f"  k = {k + 1}: W²[{k + 1},{j + 1}] · ∂L/∂z²[{k + 1}] = " in text
                        assert f" = {fmt(term, 4)}\n" in text
    if loss == "cross_entropy":          # softmax fused with the loss: ŷ has no ∂L/∂ŷ of its own
        assert panel.graph.node("a2").grads is None
        assert "(fused)" in panel.canvas.node_lines("a2")[1]


def test_stepping_fills_values_forward_then_gradients_backward(qtbot):
    session = one_input_session(one_one_one())
    panel = make_panel(qtbot, session)
    panel.show_parameter(Selection.weight(1, 0, 0))
    cursor = panel.cursor
    cursor.first()
    chain = ["param", "product", "z1", "a1", "z2", "a2", "loss"]
    canvas = panel.canvas
    # The first step computes z¹: the weight, its input and z¹ are known, the rest is empty.
    assert [k for k in chain if canvas.value_shown(k)] == ["param", "product", "z1"]
    assert not any(canvas.grad_shown(k) for k in chain)
    assert canvas.node_lines("a1") == ["a¹[1]", f"value {PENDING}", f"grad {PENDING}"]
    # What each click fills in, in order (a step that computes nothing here adds nothing).
    values_seen, grads_seen = [{"param", "product", "z1"}], []
    while not cursor.past_backward():
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
        new_values = {k for k in chain if canvas.value_shown(k)} - set().union(*values_seen)
        new_grads = {k for k in chain if canvas.grad_shown(k)} - set().union(set(), *grads_seen)
        values_seen += [new_values] if new_values else []
        grads_seen += [new_grads] if new_grads else []
        if cursor.step.phase == "forward":
            assert not grads_seen
    assert values_seen == [{"param", "product", "z1"}, {"a1"}, {"z2"}, {"a2"}, {"loss"}]
    assert grads_seen == [{"loss", "a2"}, {"z2"}, {"a1"}, {"product", "z1"}, {"param"}]
    assert canvas.node_lines("param")[-1] == f"grad {fmt(session.gradients().dW[0][0, 0])}"
    # Back to the start empties every gradient and every value computed since.
    qtbot.mouseClick(panel.previous_button, Qt.MouseButton.LeftButton)
    assert canvas.grad_shown("param")            # ∂L/∂W¹ came one step before ∂L/∂b¹
    cursor.first()
    assert not any(canvas.grad_shown(k) for k in chain)
    assert [k for k in chain if canvas.value_shown(k)] == ["param", "product", "z1"]
    panel.follow_box.setChecked(False)
    assert all(canvas.value_shown(k) and canvas.grad_shown(k) for k in chain)


def test_selecting_another_weight_in_the_session_redraws_the_graph(qtbot):
    session = two_input_session(two_three_two())
    panel = make_panel(qtbot, session)
    session.select(Selection.weight(1, 0, 0))
    assert panel.title_label.text().startswith("W¹[1,1] → L")
    first = panel.chain_text()
    session.select(Selection.weight(2, 1, 2))
    assert panel.graph.selection == Selection.weight(2, 1, 2)
    assert panel.title_label.text().startswith("W²[2,3] → L")
    assert panel.chain_text() != first and panel.chain_text().startswith("∂L/∂W²[2,3] = ")
    assert panel.graph.node("input").values == (session.trace().a[1][0, 2],)
    # Stepping through the whole batch: the graph still shows the selected sample, and says so.
    assert "whole batch" not in panel.note_label.text()
    panel.cursor.set_scope("batch")
    qtbot.waitUntil(lambda: "the graph shows the selected sample" in panel.note_label.text())
    # A change of the numbers (an edit of the weight) shows at once.
    session.set_parameter(Selection.weight(2, 1, 2), 1.5)
    qtbot.waitUntil(lambda: panel.graph.node("param").values == (1.5,))


def test_without_a_weight_the_panel_says_what_to_do_and_offers_the_first(qtbot):
    session = two_input_session(two_three_two())
    panel = make_panel(qtbot, session)
    session.select(None)
    assert panel.pages.currentIndex() == PAGE_EMPTY
    assert panel.empty_label.text().startswith("Select a weight or a bias in the diagram")
    assert panel.chain_text() == ""
    session.select(Selection.neuron(1, 2))
    assert panel.pages.currentIndex() == PAGE_EMPTY
    assert panel.empty_label.text().startswith("Neuron 3 of layer 1 is selected: show the graph "
                                               "of its bias b¹[3]")
    assert panel.select_bias.text() == "Show b¹[3]"
    qtbot.mouseClick(panel.select_bias, Qt.MouseButton.LeftButton)
    assert session.selection == Selection.bias(1, 2)
    assert panel.graph.selection == Selection.bias(1, 2)
    assert panel.chain_text().startswith("∂L/∂b¹[3] = ∂z¹[3]/∂b¹[3] · ")
    session.select(Selection.neuron(0, 1))                  # an input has no bias
    assert panel.pages.currentIndex() == PAGE_EMPTY and not panel.select_bias.isVisible()
    qtbot.mouseClick(panel.select_first, Qt.MouseButton.LeftButton)
    assert session.selection == Selection.weight(1, 0, 0)
    assert panel.pages.currentIndex() == PAGE_GRAPH
    with pytest.raises(ValueError, match="not a weight or a bias"):
        panel.show_parameter(Selection.weight(1, 5, 0))


def test_a_dataset_without_samples_is_explained_not_a_crash(qtbot):
    net = two_three_two()
    empty = Dataset("none", "Empty", np.zeros((0, 2)), [], ["0", "1"])
    session = Session(Project(network=net, dataset=empty))
    session.select(Selection.weight(1, 0, 0))
    panel = make_panel(qtbot, session)
    assert panel.pages.currentIndex() == PAGE_EMPTY
    assert panel.empty_label.text().startswith("No graph to show: No samples yet")
    assert not panel.select_first.isVisible()


def test_the_window_docks_the_graph_and_it_follows_the_steps_panel(qtbot, tmp_path, session):
    from backprop_gui.ui.window.main_window import MainWindow

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    window = MainWindow(session, settings=QSettings(str(tmp_path / "s.ini"),
                                                    QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    assert "Graph" in window.dock_names()
    panel = window.panel("Graph")
    assert panel is window.graph_panel and panel.cursor is window.stepper.cursor
    window.dock("Graph").raise_()
    session.select(Selection.weight(2, 0, 0))
    window.stepper.first()
    assert not panel.canvas.value_shown("a2")
    window.stepper.next_phase()                    # through the forward pass to the loss
    assert panel.canvas.value_shown("a2")
    assert window.dock("Graph").toggleViewAction() in window.window_actions.panels_menu.actions()
    # Behind the Plots tab it does not redraw for new numbers; in front again, it catches up.
    window.dock("Plots").raise_()
    qtbot.waitUntil(lambda: not panel.on_screen())
    session.set_parameter(Selection.weight(2, 0, 0), 0.25)
    qtbot.wait(250)
    assert panel.graph.node("param").values != (0.25,)
    window.dock("Graph").raise_()
    qtbot.waitUntil(lambda: panel.graph.node("param").values == (0.25,))
