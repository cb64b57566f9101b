"""Session's Try it input: an input the views show and the network predicts, outside the
project (no undo entry, never modified), until it is added to the dataset."""

from __future__ import annotations

import numpy as np
import pytest


def test_try_it_values_drive_the_passes_without_touching_the_project(session):
    inputs = session.dataset.inputs.copy()
    seen = []
    session.values_changed.connect(lambda: seen.append("values"))
    session.set_trying(True)
    session.set_try_values({0: 1.0, 5: 2.5, 6: -1.0})      # pixels are clipped to 0 … 1
    x = np.zeros(16)
    x[[0, 5]] = 1.0
    assert np.array_equal(session.sample_input(), x)
    assert np.array_equal(session.trace().output, session.network.forward(x).output)
    assert session.sample_label() == 0 and session.input_description() == "Try it input"
    assert np.array_equal(session.sample_target(), [1.0, 0.0])
    session.set_try_label(1)
    assert np.array_equal(session.sample_target(), [0.0, 1.0])
    grads = session.gradients()
    expected = session.network.backward(session.network.forward(x), np.array([0.0, 1.0]))
    assert np.array_equal(grads.dW[0], expected.dW[0])
    assert np.array_equal(session.dataset.inputs, inputs)
    assert session.undo_stack.count() == 0 and not session.modified
    assert seen == ["values"] * 3
    session.set_trying(False)
    assert np.array_equal(session.sample_input(), inputs[0])


def test_bad_try_it_values_are_refused(session):
    with pytest.raises(ValueError, match="finite"):
        session.set_try_values({0: float("nan")})
    with pytest.raises(ValueError, match="no entry 17"):
        session.set_try_values({16: 1.0})
    with pytest.raises(ValueError, match="no class 3"):
        session.set_try_label(2)


def test_add_try_input_is_one_undo_step(session):
    session.set_trying(True)
    session.set_try_values({3: 0.5})
    session.set_try_label(1)
    index = session.add_try_input()
    assert index == 24 and session.selected_sample == 24 and session.trying
    assert session.dataset.inputs[24, 3] == 0.5 and session.dataset.labels[24] == 1
    assert session.modified
    session.undo_stack.undo()
    assert session.dataset.n_samples == 24 and not session.modified
    session.undo_stack.redo()
    assert session.dataset.n_samples == 25 and session.dataset.labels[24] == 1


def test_a_dataset_of_another_shape_gets_a_blank_try_it_input(session):
    session.set_trying(True)
    session.set_try_values({0: 1.0})
    session.load_builtin_dataset("moons")
    assert np.array_equal(session.sample_input(), [0.0, 0.0])
    session.set_try_values({0: -1.2, 1: 3.0})               # points are not clipped
    assert np.array_equal(session.sample_input(), [-1.2, 3.0])
    session.undo_stack.undo()                                  # back to 4×4 images
    assert np.array_equal(session.sample_input(), np.zeros(16))
    session.new_project()
    assert not session.trying
