"""Built-in datasets: exact XOR, glyph art, noise, 2-D sets, determinism and defaults."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from backprop_gui.engine import Network
from backprop_gui.engine.datasets import (
    BUILTIN_DATASETS, POINTS_RANGE, add_noise, dataset_options, default_network_for, load_builtin)
from backprop_gui.engine.dataset import Dataset
from backprop_gui.engine.glyphs import DIGIT_GLYPHS, ZERO_ONE_GLYPHS, parse_glyph

FIXED_SETS = ["xor", "line", "bump"]        # nothing random: the seed is only recorded
RANDOM_SETS = [n for n in BUILTIN_DATASETS if n not in FIXED_SETS]
POINT_SETS = ["blobs", "circle", "moons", "spiral"]


def _glyphs(table: dict[str, list[str]]) -> list[tuple[str, np.ndarray]]:
    return [(label, parse_glyph(art)) for label, arts in table.items() for art in arts]


# ----- XOR ----------------------------------------------------------------------------------

def test_xor_is_exactly_the_truth_table() -> None:
    d = load_builtin("xor")
    np.testing.assert_array_equal(d.inputs, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(d.labels, [0, 1, 1, 0])
    assert d.inputs.dtype == np.float64
    assert d.class_names == ["0", "1"]
    assert d.kind == "table" and d.image_shape is None
    np.testing.assert_array_equal(d.targets(1), [[0], [1], [1], [0]])


# ----- catalogue --------------------------------------------------------------------------

def test_catalogue_order_and_titles() -> None:
    assert list(BUILTIN_DATASETS) == ["xor", "digits01", "digits", "blobs", "circle", "moons", "spiral",
                                      "line", "bump"]
    for name, title in BUILTIN_DATASETS.items():
        d = load_builtin(name)
        assert d.name == name and d.title == title


@pytest.mark.parametrize("name", list(BUILTIN_DATASETS))
def test_description_is_two_or_three_sentences(name: str) -> None:
    text = load_builtin(name).description
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    assert 2 <= len(sentences) <= 3, text


def test_unknown_name_lists_the_builtin_names() -> None:
    with pytest.raises(ValueError) as err:
        load_builtin("mnist")
    message = str(err.value)
    assert "'mnist'" in message
    for name in BUILTIN_DATASETS:
        assert name in message


def test_unknown_option_lists_the_options() -> None:
    with pytest.raises(ValueError, match=r"no option colour .*n_samples, noise, test_fraction"):
        load_builtin("blobs", colour="red")
    with pytest.raises(ValueError, match="options: none"):
        load_builtin("xor", noise=0.1)
    assert dataset_options("digits01") == {"noisy_per_class": 8, "n_flips": 1}


@pytest.mark.parametrize("name", RANDOM_SETS)
def test_deterministic_by_seed(name: str) -> None:
    a, b, c = load_builtin(name, seed=3), load_builtin(name, seed=3), load_builtin(name, seed=4)
    np.testing.assert_array_equal(a.inputs, b.inputs)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert a.seed == 3 and c.seed == 4
    if a.test_inputs is not None:
        np.testing.assert_array_equal(a.test_inputs, b.test_inputs)
        np.testing.assert_array_equal(a.test_labels, b.test_labels)
    assert not np.array_equal(a.inputs, c.inputs)


def test_xor_ignores_the_seed() -> None:
    np.testing.assert_array_equal(load_builtin("xor", seed=1).inputs, load_builtin("xor", seed=2).inputs)


@pytest.mark.parametrize("name", list(BUILTIN_DATASETS))
def test_labels_in_range_and_classes_balanced(name: str) -> None:
    d = load_builtin(name)
    assert d.labels.min() >= 0 and d.labels.max() < d.n_classes
    counts = np.bincount(d.labels, minlength=d.n_classes)
    assert counts.min() >= 1
    assert counts.max() - counts.min() <= max(1, 0.2 * counts.max())


# ----- images ------------------------------------------------------------------------------

@pytest.mark.parametrize("table", [ZERO_ONE_GLYPHS, DIGIT_GLYPHS])
def test_every_glyph_is_a_4x4_of_zeros_and_ones(table: dict[str, list[str]]) -> None:
    for _, g in _glyphs(table):
        assert g.shape == (4, 4)
        assert set(np.unique(g)) <= {0.0, 1.0}
        assert 0 < g.sum() < 16


@pytest.mark.parametrize("table", [ZERO_ONE_GLYPHS, DIGIT_GLYPHS])
def test_glyphs_pairwise_distinct(table: dict[str, list[str]]) -> None:
    for (_, a), (_, b) in itertools.combinations(_glyphs(table), 2):
        assert not np.array_equal(a, b)


def test_digit_glyphs_of_different_digits_differ_in_three_pixels() -> None:
    # So a one-pixel-flipped copy is always nearer its own digit than any other.
    assert list(DIGIT_GLYPHS) == [str(k) for k in range(10)]
    for (la, a), (lb, b) in itertools.combinations(_glyphs(DIGIT_GLYPHS), 2):
        if la != lb:
            assert np.sum(a != b) >= 3, (la, lb)


def test_parse_glyph_reads_string_art() -> None:
    np.testing.assert_array_equal(parse_glyph("#.\n.#"), [[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="malformed"):
        parse_glyph("#.\n.")
    with pytest.raises(ValueError, match="malformed"):
        parse_glyph("#x\n..")


def test_digits01_layout() -> None:
    d = load_builtin("digits01")
    assert d.kind == "image" and d.image_shape == (4, 4) and d.class_names == ["0", "1"]
    assert d.inputs.shape == (24, 16)
    assert d.extra["n_clean"] == 8
    clean = np.array([g.ravel() for _, g in _glyphs(ZERO_ONE_GLYPHS)])
    np.testing.assert_array_equal(d.inputs[:8], clean)
    np.testing.assert_array_equal(d.labels, [0] * 4 + [1] * 4 + [0] * 8 + [1] * 8)
    np.testing.assert_array_equal(d.image(0), parse_glyph(ZERO_ONE_GLYPHS["0"][0]))
    assert set(np.unique(d.inputs)) == {0.0, 1.0}


@pytest.mark.parametrize("name", ["digits01", "digits"])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_noisy_copies_differ_from_their_source_in_exactly_k_pixels(name: str, k: int) -> None:
    d = load_builtin(name, seed=7, n_flips=k)
    n_clean, sources = d.extra["n_clean"], d.extra["noisy_sources"]
    noisy = d.inputs[n_clean:]
    assert len(sources) == len(noisy) > 0
    for row, src in zip(noisy, sources):
        assert np.sum(row != d.inputs[src]) == k
    np.testing.assert_array_equal(d.labels[n_clean:], d.labels[sources])
    # Sources cycle through every variant of a class.
    assert set(sources) == set(range(n_clean))


def test_digits_layout() -> None:
    d = load_builtin("digits")
    assert d.class_names == [str(k) for k in range(10)]
    assert d.kind == "image" and d.image_shape == (4, 4)
    n_clean = sum(len(v) for v in DIGIT_GLYPHS.values())
    assert d.extra["n_clean"] == n_clean
    assert d.n_samples == n_clean + 10 * 4
    np.testing.assert_array_equal(np.bincount(d.labels[n_clean:]), [4] * 10)


def test_noise_size_options() -> None:
    d = load_builtin("digits01", noisy_per_class=0)
    assert d.n_samples == 8 and d.extra["noisy_sources"] == []
    assert load_builtin("digits01", noisy_per_class=3).n_samples == 14
    with pytest.raises(ValueError, match="noisy_per_class"):
        load_builtin("digits01", noisy_per_class=-1)


def test_add_noise_flips_exactly_n_distinct_pixels() -> None:
    images = np.zeros((50, 16))
    noisy = add_noise(images, 3, np.random.default_rng(0))
    np.testing.assert_array_equal(noisy.sum(axis=1), np.full(50, 3.0))
    assert images.sum() == 0.0  # the input is not modified
    ones = add_noise(np.ones(16), 5, np.random.default_rng(0))
    assert ones.shape == (16,) and ones.sum() == 11.0
    again = add_noise(images, 3, np.random.default_rng(0))
    np.testing.assert_array_equal(noisy, again)
    np.testing.assert_array_equal(add_noise(images, 0, np.random.default_rng(0)), images)
    with pytest.raises(ValueError, match="n_flips"):
        add_noise(images, 17, np.random.default_rng(0))


# ----- 2-D points -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", POINT_SETS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_points_in_documented_range_with_stratified_test_split(name: str, seed: int) -> None:
    d = load_builtin(name, seed=seed)
    lo, hi = POINTS_RANGE
    assert (lo, hi) == (-1.0, 1.0)
    assert d.kind == "points" and d.n_inputs == 2 and d.class_names == ["A", "B"]
    for X in (d.inputs, d.test_inputs):
        assert X.min() >= lo and X.max() <= hi
    assert d.inputs.shape == (150, 2) and d.test_inputs.shape == (50, 2)
    np.testing.assert_array_equal(np.bincount(d.labels), [75, 75])
    np.testing.assert_array_equal(np.bincount(d.test_labels), [25, 25])
    train_rows = {tuple(r) for r in d.inputs}
    assert not any(tuple(r) in train_rows for r in d.test_inputs)
    # Shuffled: the classes are interleaved, not in two runs.
    assert np.count_nonzero(np.diff(d.labels)) > 10


def test_points_options() -> None:
    d = load_builtin("moons", n_samples=41, test_fraction=0.0)
    assert d.n_samples == 41 and d.test_inputs is None and d.test_labels is None
    np.testing.assert_array_equal(np.bincount(d.labels), [20, 21])
    d = load_builtin("spiral", n_samples=100, test_fraction=0.5)
    assert d.n_samples == 50 and len(d.test_labels) == 50
    with pytest.raises(ValueError, match="n_samples"):
        load_builtin("blobs", n_samples=3)
    with pytest.raises(ValueError, match="noise"):
        load_builtin("circle", noise=-0.1)
    with pytest.raises(ValueError, match="test_fraction"):
        load_builtin("moons", test_fraction=1.0)


def _all_points(name: str, **options: object) -> tuple[np.ndarray, np.ndarray]:
    d = load_builtin(name, **options)
    return np.vstack([d.inputs, d.test_inputs]), np.concatenate([d.labels, d.test_labels])


def test_blobs_without_noise_sit_on_their_centres() -> None:
    X, y = _all_points("blobs", noise=0.0)
    np.testing.assert_array_equal(X[y == 0], np.full(((y == 0).sum(), 2), -0.4))
    np.testing.assert_array_equal(X[y == 1], np.full(((y == 1).sum(), 2), 0.4))


def test_circle_without_noise_is_a_disc_inside_a_ring() -> None:
    X, y = _all_points("circle", noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 0].max() <= 0.5
    assert r[y == 1].min() >= 0.65 - 1e-12 and r[y == 1].max() <= 0.9 + 1e-12


def test_moons_without_noise_lie_on_two_half_circles() -> None:
    X, y = _all_points("moons", noise=0.0)
    raw = X * 1.75 + np.array([0.5, 0.25])  # undo the documented centring and scaling
    upper, lower = raw[y == 0], raw[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-12)
    assert upper[:, 1].min() >= -1e-12
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0, atol=1e-12)
    assert lower[:, 1].max() <= 0.5 + 1e-12


def test_spiral_arms_are_half_a_turn_apart() -> None:
    X, y = _all_points("spiral", noise=0.0)
    for label, phase in ((0, 0.0), (1, np.pi)):
        P = X[y == label]
        t = np.hypot(P[:, 0], P[:, 1]) / 0.95
        angle = 2 * np.pi * 1.25 * t + phase
        np.testing.assert_allclose(P, np.column_stack([0.95 * t * np.cos(angle),
                                                       0.95 * t * np.sin(angle)]), atol=1e-12)


# ----- default networks -------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("digits01", ([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy")),
    ("xor", ([2, 2, 1], ["sigmoid", "sigmoid"], "mse")),
    ("digits", ([16, 12, 10], ["relu", "softmax"], "cross_entropy")),
    ("blobs", ([2, 8, 8, 2], ["tanh", "tanh", "softmax"], "cross_entropy")),
    ("spiral", ([2, 8, 8, 2], ["tanh", "tanh", "softmax"], "cross_entropy")),
])
def test_default_network_suggestions(name: str, expected: tuple) -> None:
    assert default_network_for(load_builtin(name)) == expected


@pytest.mark.parametrize("name", list(BUILTIN_DATASETS))
def test_default_network_builds_and_runs_on_the_dataset(name: str) -> None:
    d = load_builtin(name)
    net = Network.build(*default_network_for(d), seed=0)
    assert net.sizes[0] == d.n_inputs
    Y = d.targets(net.sizes[-1])
    trace = net.forward(d.inputs)
    assert trace.output.shape == Y.shape
    assert np.isfinite(net.loss(trace, Y))


# ----- the validation split -------------------------------------------------------------------

@pytest.mark.parametrize("n, fraction, n_val", [
    (4, 0.4, 2),      # 1.6 rounds to 2: "40 % for validation" keeps two of four samples
    (10, 0.27, 3),    # 2.7 → 3
    (7, 0.3, 2),      # 2.1 → 2
    (24, 0.25, 6),
    (10, 0.04, 0),    # 0.4 → 0: no validation set at all
])
def test_split_keeps_the_nearest_whole_number_of_samples_for_validation(n, fraction, n_val):
    from backprop_gui.engine.dataset import Dataset

    data = Dataset("d", "d", np.arange(2.0 * n).reshape(n, 2), np.arange(n) % 2, ["a", "b"])
    train, val = data.split(fraction, seed=5)
    if n_val == 0:
        assert train is data and val is None
        return
    assert (train.n_samples, val.n_samples) == (n - n_val, n_val)
    # A partition of the samples (each row once), the same for the same seed.
    rows = sorted(map(tuple, np.vstack([train.inputs, val.inputs]).tolist()))
    assert rows == sorted(map(tuple, data.inputs.tolist()))
    assert np.array_equal(data.split(fraction, seed=5)[1].inputs, val.inputs)
    assert np.array_equal(val.labels, val.inputs[:, 0] // 2 % 2)   # labels travel with rows


def test_split_refuses_a_fraction_that_leaves_no_training_samples():
    data = load_builtin("xor")
    for bad in (1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="validation fraction"):
            data.split(bad, seed=0)


# ----- copies -------------------------------------------------------------------------------

def test_a_copy_is_equal_and_shares_no_array_or_list() -> None:
    d = load_builtin("moons")
    d.extra["note"] = "kept"
    c = d.copy()
    pairs = [(c.inputs, d.inputs), (c.labels, d.labels), (c.test_inputs, d.test_inputs),
             (c.test_labels, d.test_labels)]
    for copied, original in pairs:
        assert copied.dtype == original.dtype and np.array_equal(copied, original)
        assert not np.shares_memory(copied, original)
    assert c.class_names == d.class_names and c.class_names is not d.class_names
    assert c.extra == d.extra and c.extra is not d.extra
    assert (c.name, c.title, c.kind, c.image_shape, c.seed) == (d.name, d.title, d.kind,
                                                                d.image_shape, d.seed)
    c.inputs[0, 0] += 1.0
    c.labels[0] = 1 - c.labels[0]
    assert not np.array_equal(c.inputs, d.inputs) and not np.array_equal(c.labels, d.labels)


# ----- one-input regression tables ----------------------------------------------------------

def test_line_is_five_points_of_2x_minus_1() -> None:
    d = load_builtin("line")
    assert d.kind == "table" and d.is_regression and d.n_inputs == 1 and d.n_targets == 1
    np.testing.assert_array_equal(d.inputs.ravel(), [0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_array_equal(d.targets(1).ravel(), [-1.0, -0.5, 0.0, 0.5, 1.0])
    np.testing.assert_array_equal(d.targets(1, slice(1, 2)), [[-0.5]])
    with pytest.raises(ValueError, match="each sample has 1 target value, so the network needs 1 output, not 2"):
        d.targets(2)


def test_bump_rises_and_falls_symmetrically() -> None:
    d = load_builtin("bump")
    y = d.targets(1).ravel()
    assert d.n_samples == 7 and y[3] == 1.0 and y[2] == y[4] == pytest.approx(np.exp(-0.5))
    np.testing.assert_array_equal(y, y[::-1])


def test_regression_tables_get_a_one_neuron_chain_with_a_linear_output() -> None:
    assert default_network_for(load_builtin("line")) == ([1, 1, 1], ["sigmoid", "linear"], "mse")
    assert default_network_for(load_builtin("bump")) == ([1, 2, 1], ["sigmoid", "linear"], "mse")


@pytest.mark.parametrize("name", ["line", "bump"])
def test_a_regression_table_trains_with_its_values_and_no_accuracy(name: str) -> None:
    from backprop_gui.engine.datasets import default_network
    from backprop_gui.engine.project import TrainingConfig
    from backprop_gui.engine.training import Trainer

    d = load_builtin(name)
    net = default_network(d)
    trainer = Trainer(net, d, TrainingConfig(learning_rate=0.5))
    trainer.train(3000)
    assert trainer.history.loss[-1] == pytest.approx(
        net.loss(net.forward(d.inputs), d.values), rel=1e-12)
    assert trainer.history.loss[-1] < 0.01 * trainer.history.loss[0]
    assert all(np.isnan(trainer.history.accuracy))


def test_regression_values_follow_their_samples_through_split_and_edits() -> None:
    from backprop_gui.engine import dataset_edit

    d = load_builtin("line")
    train, val = d.split(0.4, seed=3)
    for part in (train, val):
        np.testing.assert_array_equal(part.values.ravel(), 2 * part.inputs.ravel() - 1)
    d2 = dataset_edit.duplicate_sample(d, 1)
    assert d2.values.ravel().tolist() == [-1.0, -0.5, -0.5, 0.0, 0.5, 1.0]
    d3 = dataset_edit.delete_sample(d2, 0)
    assert d3.values.ravel().tolist() == [-0.5, -0.5, 0.0, 0.5, 1.0]
    d4 = dataset_edit.add_sample(d3, np.array([2.0]))
    assert d4.values.ravel().tolist() == [-0.5, -0.5, 0.0, 0.5, 1.0, 0.0]
    d5 = dataset_edit.with_target_values(d4, 5, {0: 3.0})
    assert d5.values[5, 0] == 3.0 and d4.values[5, 0] == 0.0
    with pytest.raises(ValueError, match=r"target y must be in -1,000 … 1,000, got 5000"):
        dataset_edit.with_target_values(d4, 5, {0: 5000.0})
    with pytest.raises(ValueError, match="targets are classes"):
        dataset_edit.with_target_values(load_builtin("xor"), 0, {0: 1.0})


def test_regression_values_must_fit_the_samples() -> None:
    with pytest.raises(ValueError, match="target values of shape"):
        Dataset("r", "r", [[0.0], [1.0]], [0, 0], ["y"], values=[[1.0]])
    with pytest.raises(ValueError, match="finite"):
        Dataset("r", "r", [[0.0]], [0], ["y"], values=[[np.nan]])
