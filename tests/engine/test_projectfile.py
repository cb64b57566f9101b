"""The .bpnet project format: exact round trips, atomic saves, and a clear error for every bad file."""

from __future__ import annotations

import copy
import json
import math
import os
import stat
from dataclasses import asdict, fields

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop_gui.engine import (atomic_write, project_schema, project_writer, regular_file)
from backprop_gui.engine.activations import ACTIVATIONS
from backprop_gui.engine.dataset import Dataset
from backprop_gui.engine.losses import LOSSES
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import History, Project, TrainingConfig, first_difference
from backprop_gui.engine.projectfile import (
    FORMAT_VERSION, MAX_FILE_BYTES, DatasetText, ProjectFileError, dumps_project, load_project,
    loads_project, project_from_dict, project_to_dict, save_project)

AWKWARD = [1 / 3, 1e-300, 5e-324, -0.0, 1.7976931348623157e308, -2.2250738585072014e-308,
           0.1, -1e16 + 1, 2.0**-1074 * 3, 123456789.12345678]


def make_project() -> Project:
    """4-3-2 tanh/softmax network on a 2×2 image dataset with a test split and some history."""
    net = Network.build([4, 3, 2], ["tanh", "softmax"], "cross_entropy", seed=7)
    net.weights[0][0, :] = AWKWARD[:4]
    net.biases[1][:] = AWKWARD[4:6]
    rng = np.random.default_rng(3)
    inputs = rng.uniform(0, 1, (5, 4))
    inputs[0] = AWKWARD[6:]
    dataset = Dataset(name="toy", title="Tiny images — ünïcode", inputs=inputs,
                      labels=[0, 1, 1, 0, 1], class_names=["dark", "light"], kind="image",
                      image_shape=(2, 2), description="for tests", seed=11,
                      test_inputs=rng.uniform(0, 1, (2, 4)), test_labels=[1, 0])
    config = TrainingConfig(optimizer="minibatch", learning_rate=1 / 3, batch_size=2,
                            momentum=0.9, l1=1e-5, l2=5e-324, schedule="step", step_every=7,
                            step_factor=0.25, seed=42, init="xavier", validation_fraction=0.2,
                            max_epochs=500, target_loss=0.01)
    history = History()
    history.append(1, 0.75, 0.5)                       # no validation set: NaN
    history.append(2, 0.5, 0.6, 0.55, 0.5)
    history.append(3, math.inf, 0.4, -math.inf, math.nan)
    return Project(net, dataset, config, history, lesson="xor-by-hand", selected_sample=3)


def same_bits(a, b) -> bool:
    """Equal float64 arrays bit for bit (so -0.0 differs from 0.0); a NaN equals any NaN,
    as the file keeps no NaN sign or payload."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
        return False
    return a[~np.isnan(a)].tobytes() == b[~np.isnan(b)].tobytes()


def assert_same_project(p: Project, q: Project) -> None:
    assert q.network.sizes == p.network.sizes
    assert q.network.activation_names == p.network.activation_names
    assert q.network.loss_name == p.network.loss_name
    for W, V in zip(p.network.weights + p.network.biases, q.network.weights + q.network.biases,
                    strict=True):
        assert np.array_equal(W, V) and same_bits(W, V) and V.dtype == np.float64
    d, e = p.dataset, q.dataset
    assert same_bits(d.inputs, e.inputs) and np.array_equal(d.inputs, e.inputs)
    assert np.array_equal(d.labels, e.labels) and e.labels.dtype == np.int64
    assert (e.name, e.title, e.kind, e.class_names, e.image_shape, e.description, e.seed) == \
           (d.name, d.title, d.kind, d.class_names, d.image_shape, d.description, d.seed)
    if d.test_inputs is None:
        assert e.test_inputs is None and e.test_labels is None
    else:
        assert same_bits(d.test_inputs, e.test_inputs)
        assert np.array_equal(d.test_labels, e.test_labels)
    assert q.training == p.training
    assert asdict(q.training) == asdict(p.training)
    assert q.history.epoch == p.history.epoch
    for key in project_schema.HISTORY_SERIES:
        assert same_bits(getattr(p.history, key), getattr(q.history, key)), key
    assert (q.lesson, q.selected_sample) == (p.lesson, p.selected_sample)


# ----- round trips ----------------------------------------------------------------------


def test_first_difference_is_none_exactly_when_the_files_would_be_alike(tmp_path):
    p = make_project()
    path = tmp_path / "project.bpnet"
    save_project(p, path)
    q = load_project(path)
    assert first_difference(p, q) is None and first_difference(p, p.copy()) is None
    changes = {
        "lesson": lambda r: setattr(r, "lesson", None),
        "training.seed": lambda r: setattr(r.training, "seed", 43),
        "training.max_epochs": lambda r: setattr(r.training, "max_epochs", 500.0),  # "500.0"
        "training.target_loss": lambda r: setattr(r.training, "target_loss", None),
        "network.activation_names": lambda r: setattr(r, "network", Network.build(
            [4, 3, 2], ["relu", "softmax"], "cross_entropy")),
        "history": lambda r: r.history.append(4, 0.25, 1.0),
        "network.weights[0]": lambda r: r.network.weights[0].__setitem__((0, 3), 0.0),  # was −0.0
        "network.biases[1]": lambda r: r.network.biases[1].__setitem__(0, math.nextafter(
            r.network.biases[1][0], 0)),
        "dataset.title": lambda r: setattr(r.dataset, "title", "Tiny images"),
        "dataset.labels": lambda r: r.dataset.labels.__setitem__(0, 1),
        "dataset.inputs": lambda r: r.dataset.inputs.__setitem__((4, 3), 0.5),
        "dataset.test_inputs": lambda r: setattr(r.dataset, "test_inputs", None),
        "history.epoch": lambda r: r.history.epoch.__setitem__(2, 4),
        "history.val_loss": lambda r: r.history.val_loss.__setitem__(1, -0.0 + 0.5000000000000001),
        "history.val_accuracy": lambda r: r.history.val_accuracy.__setitem__(2, 0.5),
    }
    for field, change in changes.items():
        r = q.copy()
        change(r)
        assert first_difference(q, r) == field, field
        assert first_difference(r, q) == field, field
    # Not saved differently: another sample selected, another NaN in the history.
    r = q.copy()
    r.selected_sample = 0
    r.history.val_loss[0] = -math.nan
    assert first_difference(q, r) is None


def test_a_project_copy_shares_no_array_or_list():
    p = make_project()
    q = p.copy()
    q.network.weights[0][0, 0] = 9.0
    q.dataset.inputs[0, 0] = 9.0
    q.dataset.labels[0] = 1
    q.dataset.class_names.append("x")
    q.training.seed = 9
    q.history.append(4, 0.0, 1.0)
    assert_same_project(make_project(), p)


def test_save_and_load_round_trip_every_number_exactly(tmp_path):
    p = make_project()
    path = tmp_path / "project.bpnet"
    save_project(p, path)
    q = load_project(path)
    assert_same_project(p, q)
    assert np.signbit(q.network.weights[0][0, 3]) and q.network.weights[0][0, 3] == 0.0
    assert q.network.weights[0][0, 2] == 5e-324
    assert q.network.biases[1][0] == 1.7976931348623157e308
    assert q.training.l2 == 5e-324


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_every_loss_is_written_and_read_by_its_name(loss):
    p = make_project()
    p.network = Network.build([4, 3, 2], ["tanh", LOSSES[loss].requires_output or "sigmoid"],
                              loss, seed=1)
    assert project_to_dict(p)["network"]["loss"] == loss
    assert loads_project(dumps_project(p)).network.loss_name == loss


def test_history_keeps_nan_and_infinities_and_writes_them_as_json():
    p = make_project()
    data = project_to_dict(p)
    assert data["history"]["val_loss"] == [None, 0.55, "-Infinity"]
    assert data["history"]["loss"] == [0.75, 0.5, "Infinity"]
    json.dumps(data, allow_nan=False)        # plain JSON, no NaN literals anywhere
    h = loads_project(dumps_project(p)).history
    assert math.isnan(h.val_loss[0]) and h.val_loss[1] == 0.55 and h.val_loss[2] == -math.inf
    assert h.loss[2] == math.inf and math.isnan(h.val_accuracy[2])


def test_dict_round_trip_and_str_or_bytes_give_the_same_project():
    p = make_project()
    assert_same_project(p, project_from_dict(project_to_dict(p)))
    text = dumps_project(p)
    assert_same_project(p, loads_project(text))
    assert_same_project(p, loads_project(text.encode("utf-8")))
    assert_same_project(p, loads_project(b"\xef\xbb\xbf" + text.encode("utf-8")))  # with a BOM


def test_file_is_strict_readable_json_with_one_weight_row_per_line():
    p = make_project()
    text = dumps_project(p)
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"literal {c} written"))
    assert data["format"] == "backprop-gui-project" and data["version"] == FORMAT_VERSION
    row = json.dumps(p.network.weights[0][1].tolist())
    assert any(line.strip().rstrip(",") == row for line in text.splitlines())
    assert '"title": "Tiny images — ünïcode"' in text   # UTF-8, not \u escapes
    assert "targets" not in data["dataset"]


def test_every_training_field_is_written():
    data = project_to_dict(make_project())
    assert list(data["training"]) == [f.name for f in fields(TrainingConfig)]


def test_targets_follow_from_labels_after_loading():
    q = loads_project(dumps_project(make_project()))
    assert np.array_equal(q.dataset.targets(2), [[1, 0], [0, 1], [0, 1], [1, 0], [0, 1]])


def test_history_is_optional_and_unknown_keys_are_ignored():
    data = project_to_dict(make_project())
    del data["history"]
    data["future_feature"] = {"anything": [1, 2]}
    data["network"]["dropout"] = 0.5
    data["dataset"]["augment"] = True
    data["training"]["warmup"] = 3
    q = project_from_dict(data)
    assert len(q.history) == 0 and q.history.loss == []
    data["history"] = None
    assert len(project_from_dict(data).history) == 0


def test_empty_dataset_and_no_test_split_round_trip():
    p = make_project()
    p.dataset = Dataset(name="empty", title="Empty", inputs=np.zeros((0, 4)), labels=[],
                        class_names=["a", "b"], kind="table")
    p.selected_sample = 0
    q = loads_project(dumps_project(p))
    assert q.dataset.inputs.shape == (0, 4) and q.dataset.labels.shape == (0,)
    assert_same_project(p, q)


def test_integers_are_accepted_where_floats_are_expected():
    data = project_to_dict(make_project())
    data["network"]["biases"][0] = [1, -2, 0]
    data["training"]["learning_rate"] = 2
    q = project_from_dict(data)
    assert q.network.biases[0].tolist() == [1.0, -2.0, 0.0] and q.training.learning_rate == 2.0


# ----- saving ---------------------------------------------------------------------------


def test_save_is_atomic_when_the_rename_fails(tmp_path, monkeypatch):
    path = tmp_path / "p.bpnet"
    path.write_bytes(b"old contents")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic_write.os, "replace", refuse)
    with pytest.raises(ProjectFileError) as e:
        save_project(make_project(), path)
    assert "could not save" in str(e.value) and "Permission denied" in str(e.value)
    assert path.read_bytes() == b"old contents"
    assert os.listdir(tmp_path) == ["p.bpnet"]


def test_save_is_atomic_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "p.bpnet"
    path.write_bytes(b"old contents")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_write.os, "fsync", disk_full)
    with pytest.raises(ProjectFileError, match="No space left on device"):
        save_project(make_project(), path)
    assert path.read_bytes() == b"old contents"
    assert os.listdir(tmp_path) == ["p.bpnet"]


# A read-only file is replaced only after the window asked; a "yes" means the user will edit
# it from now on, so its owner may write it. Group and others keep what they had.
@pytest.mark.parametrize("before, after", [(0o640, 0o640), (0o440, 0o640), (0o444, 0o644)])
def test_save_replaces_an_existing_file_and_keeps_its_permissions_plus_owner_write(
        tmp_path, before, after):
    path = tmp_path / "p.bpnet"
    path.write_bytes(b"old contents")
    os.chmod(path, before)
    save_project(make_project(), path)
    assert stat.S_IMODE(os.stat(path).st_mode) == after
    assert load_project(path).lesson == "xor-by-hand"
    assert os.listdir(tmp_path) == ["p.bpnet"]


def test_save_through_a_symlink_updates_the_target(tmp_path):
    real = tmp_path / "real.bpnet"
    real.write_bytes(b"old")
    link = tmp_path / "link.bpnet"
    link.symlink_to(real)
    save_project(make_project(), link)
    assert link.is_symlink() and load_project(real).selected_sample == 3


def test_save_into_a_missing_folder_is_a_readable_error(tmp_path):
    with pytest.raises(ProjectFileError) as e:
        save_project(make_project(), tmp_path / "nope" / "p.bpnet")
    assert "could not save" in str(e.value) and "No such file or directory" in str(e.value)


def test_saving_non_finite_parameters_is_refused_and_the_old_file_kept(tmp_path):
    path = tmp_path / "p.bpnet"
    path.write_bytes(b"old contents")
    p = make_project()
    p.network.weights[1][1, 2] = np.nan
    with pytest.raises(ProjectFileError) as e:
        save_project(p, path)
    assert str(e.value).startswith("network.weights[1][1][2]: cannot save nan")
    assert path.read_bytes() == b"old contents" and os.listdir(tmp_path) == ["p.bpnet"]
    p = make_project()
    p.training.learning_rate = math.inf
    with pytest.raises(ProjectFileError, match=r"^training\.learning_rate: cannot save inf"):
        dumps_project(p)


# ----- refusing bad files ---------------------------------------------------------------


def broken(mutate) -> str:
    """The error message for a valid project dict changed by `mutate`, via text as well."""
    data = project_to_dict(make_project())
    mutate(data)
    with pytest.raises(ProjectFileError) as direct:
        project_from_dict(data)
    with pytest.raises(ProjectFileError) as via_text:
        loads_project(json.dumps(data))
    assert str(direct.value) == str(via_text.value)
    return str(direct.value)


def setter(path: str, value):
    """A mutation setting data[path...] = value; path like "network.weights.1"."""
    def mutate(data):
        *head, last = path.split(".")
        for key in head:
            data = data[int(key)] if isinstance(data, list) else data[key]
        if isinstance(data, list):
            data[int(last)] = value
        else:
            data[last] = value
    return mutate


def deleter(path: str):
    def mutate(data):
        *head, last = path.split(".")
        for key in head:
            data = data[key]
        del data[last]
    return mutate


MALFORMED = [
    # (mutation, the exact message)
    (setter("format", "something-else"),
     'format: this is not a Backprop GUI project (expected "backprop-gui-project", '
     "got the string 'something-else')"),
    (deleter("format"), 'format: this is not a Backprop GUI project (expected '
                        '"backprop-gui-project", it is missing)'),
    (setter("version", 2), "version: this file was made by a newer version of Backprop GUI "
                           "(format version 2; this version reads up to 1); please update"),
    (setter("version", True), "version: expected an integer, got true"),
    (setter("version", 0), "version: must be at least 1, got 0"),
    (deleter("network.weights"), "network.weights: missing"),
    (deleter("dataset"), "dataset: missing"),
    (deleter("training.momentum"), "training.momentum: missing"),
    (deleter("selected_sample"), "selected_sample: missing"),
    (setter("network", [1, 2]), "network: expected an object, got a list of 2 items"),
    (setter("network.sizes.0", "4"), "network.sizes[0]: expected an integer, got the string '4'"),
    (setter("network.sizes.1", True), "network.sizes[1]: expected an integer, got true"),
    (setter("network.sizes.1", 3.0), "network.sizes[1]: expected an integer, got the number 3.0"),
    (setter("network.sizes.1", 0), "network.sizes[1]: must lie in 1 … 4096, got 0"),
    (setter("network.sizes.1", 10**9), "network.sizes[1]: must lie in 1 … 4096, got 1000000000"),
    (setter("network.sizes.1", 1025),
     "network: layer 1 has 1025 neurons; at most 1024 are allowed"),
    (setter("network.sizes", [4]), "network.sizes: a network needs at least an input and an "
                                   "output layer, got 1 size"),
    (setter("network.activations", ["tanh"]),
     "network.activations: expected 2 activations (one per layer after the input), got 1"),
    (setter("network.activations.1", "swish"),
     f"network.activations[1]: unknown activation 'swish' (known: {', '.join(ACTIVATIONS)})"),
    (setter("network.activations.0", "softmax"),
     "network.activations[0]: Softmax is only allowed on the output layer"),
    (setter("network.activations.1", "sigmoid"),
     "network: Cross-entropy needs a Softmax output layer, not Sigmoid"),
    (setter("network.loss", "hinge"),
     "network.loss: unknown loss 'hinge' (known: mse, half_sse, cross_entropy, binary_cross_entropy)"),
    (setter("network.loss", None), "network.loss: expected the name of a loss, got null"),
    (lambda d: d["network"]["weights"][1].pop(),
     "network.weights[1]: expected 2 rows of 3 numbers, got 1 row"),
    (lambda d: d["network"]["weights"][0][2].pop(),
     "network.weights[0][2]: expected 4 numbers, got 3"),
    (lambda d: d["network"]["weights"].pop(),
     "network.weights: expected 2 weight matrices (one per layer after the input), got 1"),
    (setter("network.weights.0.1", 5),
     "network.weights[0][1]: expected a list of 4 numbers, got the number 5"),
    (lambda d: d["network"]["weights"][1][1].__setitem__(0, True),
     "network.weights[1][1][0]: expected a number, got true"),
    (lambda d: d["network"]["weights"][1][1].__setitem__(2, "NaN"),
     "network.weights[1][1][2]: expected a number, got the string 'NaN'"),
    (lambda d: d["network"]["weights"][0][2].__setitem__(1, 10**400),
     "network.weights[0][2][1]: expected a finite number, got a huge number"),
    (lambda d: d["network"]["biases"][1].append(0.0),
     "network.biases[1]: expected 2 numbers, got 3"),
    (setter("dataset.labels.3", 2), "dataset.labels[3]: label 2 is out of range: there are "
                                    "2 classes, so labels lie in 0 … 1"),
    (setter("dataset.labels.0", -1), "dataset.labels[0]: label -1 is out of range: there are "
                                     "2 classes, so labels lie in 0 … 1"),
    (setter("dataset.labels.0", 1.0), "dataset.labels[0]: expected an integer, got the number 1.0"),
    (setter("dataset.labels.0", False), "dataset.labels[0]: expected an integer, got false"),
    (lambda d: d["dataset"]["labels"].pop(),
     "dataset.labels: expected 5 labels (one per row of dataset.inputs), got 4"),
    (setter("dataset.test_labels.1", 5), "dataset.test_labels[1]: label 5 is out of range: "
                                         "there are 2 classes, so labels lie in 0 … 1"),
    (lambda d: d["dataset"]["inputs"][2].pop(),
     "dataset.inputs[2]: expected 4 numbers (the network has 4 inputs), got 3"),
    (setter("dataset.inputs", {}), "dataset.inputs: expected a list of rows of 4 numbers, "
                                   "got an object"),
    (setter("dataset.image_shape", [3, 2]),
     "dataset.image_shape: 3×2 = 6 pixels, but each input has 4 numbers"),
    (setter("dataset.image_shape", [4]),
     "dataset.image_shape: expected null or [rows, columns], got a list of 1 item"),
    (setter("dataset.kind", "video"),
     "dataset.kind: unknown dataset kind 'video' (known: image, points, table)"),
    (setter("dataset.class_names", []), "dataset.class_names: a dataset needs at least one class"),
    (setter("dataset.class_names.1", 1), "dataset.class_names[1]: expected a string, got the number 1"),
    (setter("dataset.class_names", ["a", "b", "c"]),
     "dataset.class_names: does not fit the network's output layer: 3 classes need at least "
     "3 outputs, the network has 2"),
    (setter("dataset.test_labels", None),
     "dataset.test_labels: test_inputs and test_labels must both be null or both be given"),
    (setter("dataset.seed", -1), "dataset.seed: must be at least 0, got -1"),
    (setter("dataset.title", "\ud800"),
     "dataset.title: the string holds an unpaired surrogate (\\ud800 … \\udfff)"),
    (setter("training.learning_rate", -0.1),
     "training.learning_rate: must be in 1e-06 … 1,000,000, got -0.1"),
    (setter("training.learning_rate", 0), "training.learning_rate: must be in 1e-06 … 1,000,000, got 0.0"),
    (setter("training.learning_rate", 1e20),
     "training.learning_rate: must be in 1e-06 … 1,000,000, got 1e+20"),
    (setter("training.learning_rate", "fast"),
     "training.learning_rate: expected a number, got the string 'fast'"),
    (setter("training.batch_size", 0), "training.batch_size: must be a whole number in 1 … 10,000, got 0"),
    (setter("training.optimizer", "adam"),
     "training.optimizer: unknown optimizer 'adam' (known: batch, minibatch, sgd)"),
    (setter("training.momentum", 1.0), "training.momentum: must be in 0 … 0.999, got 1.0"),
    (setter("training.schedule", "cosine"),
     "training.schedule: unknown schedule 'cosine' (known: constant, step)"),
    (setter("training.init", "orthogonal"),
     "training.init: unknown initialiser 'orthogonal' (known: he, xavier, uniform, zeros)"),
    (setter("training.max_epochs", 0),
     "training.max_epochs: must be a whole number in 1 … 1,000,000,000, got 0"),
    (setter("training.max_epochs", 2**62),
     f"training.max_epochs: must be a whole number in 1 … 1,000,000,000, got {2**62}"),
    (setter("training.target_loss", -1), "training.target_loss: must be in 0 … 1,000, got -1.0"),
    (setter("training.seed", 2**63),
     f"training.seed: must be a whole number in 0 … 2,147,483,647, got {2**63}"),
    (setter("training.seed", 2**31),
     f"training.seed: must be a whole number in 0 … 2,147,483,647, got {2**31}"),
    (lambda d: d["history"]["val_loss"].pop(),
     "history.val_loss: expected 3 values (as many as history.epoch), got 2"),
    (setter("history.loss.1", "NaN"), 'history.loss[1]: expected a number, null (no value), '
                                      '"Infinity" or "-Infinity", got the string \'NaN\''),
    (setter("history.epoch.0", 1.5), "history.epoch[0]: expected an integer, got the number 1.5"),
    (deleter("history.accuracy"), "history.accuracy: missing"),
    (setter("lesson", 3), "lesson: expected null or a string, got the number 3"),
    (setter("selected_sample", 5), "selected_sample: must lie in 0 … 4 (5 samples)"),
]


@pytest.mark.parametrize("mutate, message", MALFORMED)
def test_malformed_project_names_the_field_and_the_problem(mutate, message):
    assert broken(mutate) == message


def test_top_level_must_be_an_object():
    with pytest.raises(ProjectFileError, match="this is not a Backprop GUI project: the file "
                                               "holds a list of 0 items, not a JSON object"):
        loads_project("[]")


def test_bad_json_reports_line_and_column():
    text = dumps_project(make_project()).replace('"version": 1,', '"version": 1', 1)
    with pytest.raises(ProjectFileError) as e:
        loads_project(text)
    assert str(e.value) == "not valid JSON: Expecting ',' delimiter at line 4, column 3"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_in_weights_are_refused_by_path(literal):
    data = project_to_dict(make_project())
    data["network"]["weights"][1][0][2] = "__HERE__"
    text = json.dumps(data).replace('"__HERE__"', literal)
    with pytest.raises(ProjectFileError) as e:
        loads_project(text)
    assert str(e.value) == f"network.weights[1][0][2]: expected a number, got the literal {literal}"


def test_overflowing_float_text_is_refused():
    data = project_to_dict(make_project())
    data["dataset"]["inputs"][1][3] = "__HERE__"
    text = json.dumps(data).replace('"__HERE__"', "1e999")
    with pytest.raises(ProjectFileError, match=r"^dataset\.inputs\[1\]\[3\]: expected a finite "
                                               r"number, got a huge number$"):
        loads_project(text)


def test_nan_literal_in_the_history_is_refused():
    text = dumps_project(make_project()).replace('"val_loss": [null', '"val_loss": [NaN', 1)
    with pytest.raises(ProjectFileError, match=r"^history\.val_loss\[0\]: .*the literal NaN$"):
        loads_project(text)


def test_non_utf8_bytes_are_refused():
    data = dumps_project(make_project()).encode("utf-8").replace(b"Tiny", b"Tiny\xff", 1)
    with pytest.raises(ProjectFileError, match=r"not UTF-8 text \(byte 0xff at offset \d+"):
        loads_project(data)


def test_deeply_nested_json_is_refused():
    with pytest.raises(ProjectFileError, match="nested too deeply"):
        loads_project("[" * 100_000)
    with pytest.raises(ProjectFileError, match="nested too deeply"):
        loads_project('{"format": ' + "[" * 100_000 + "]" * 100_000 + "}")


def test_an_integer_with_thousands_of_digits_is_refused():
    with pytest.raises(ProjectFileError, match="not valid JSON: Exceeds the limit"):
        loads_project('{"version": ' + "9" * 5000 + "}")


def test_a_file_over_the_limit_is_refused_from_its_size(tmp_path):
    path = tmp_path / "huge.bpnet"
    with open(path, "wb") as f:
        f.truncate(200 * 1024 * 1024)      # sparse: instant, takes no disk space
    with pytest.raises(ProjectFileError) as e:
        load_project(path)
    assert str(e.value) == ("the file is 200.0 MB (209715200 bytes); "
                            "a project file may be at most 20 MB")


def test_reading_stops_after_the_limit_even_if_the_size_is_misreported(tmp_path, monkeypatch):
    path = tmp_path / "grows.bpnet"
    with open(path, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 10)
    real_fstat = os.fstat

    class Small:
        st_size = 100
        st_mode = stat.S_IFREG | 0o644

    monkeypatch.setattr(regular_file.os, "fstat",
                        lambda fd: Small if fd > 2 else real_fstat(fd))
    with pytest.raises(ProjectFileError, match=rf"\({MAX_FILE_BYTES + 1} bytes\)"):
        load_project(path)


def test_too_much_text_is_refused():
    with pytest.raises(ProjectFileError, match="at most 20 MB"):
        loads_project(b" " * (MAX_FILE_BYTES + 1))


def test_a_missing_file_is_a_readable_error(tmp_path):
    with pytest.raises(ProjectFileError, match=r"could not open .*nope\.bpnet: No such file"):
        load_project(tmp_path / "nope.bpnet")


def test_an_unforeseen_failure_still_raises_project_file_error(monkeypatch):
    def explode(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(project_schema, "_training", explode)
    with pytest.raises(ProjectFileError, match=r"could not read the project \(ZeroDivisionError: boom\)"):
        loads_project(dumps_project(make_project()))


# ----- fuzzing: nothing but ProjectFileError escapes -------------------------------------

json_scalars = (st.none() | st.booleans() | st.integers() | st.text(max_size=8)
                | st.floats(allow_nan=False, allow_infinity=False))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20)
KEYS = ["format", "version", "network", "dataset", "training", "history", "lesson",
        "selected_sample", "sizes", "activations", "loss", "weights", "biases", "inputs",
        "labels", "kind", "class_names", "image_shape", "epoch"]
# Objects whose keys are the format's own, so fuzzing gets past the first checks.
project_like = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
    max_leaves=30).map(lambda v: {"format": "backprop-gui-project", "version": 1, **v}
                       if isinstance(v, dict) else v)

fuzz = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_project_file_errors(load, value) -> None:
    try:
        result = load(value)
    except ProjectFileError as e:
        assert str(e)
    else:
        assert isinstance(result, Project)


@fuzz
@given(json_values | project_like)
def test_fuzz_random_json_raises_only_project_file_error(value):
    only_project_file_errors(project_from_dict, value)
    only_project_file_errors(loads_project, json.dumps(value))


@fuzz
@given(st.binary(max_size=200))
def test_fuzz_random_bytes_raise_only_project_file_error(data):
    only_project_file_errors(loads_project, data)


def leaf_paths(value, path=()):
    """Every path to a scalar or empty container in a JSON value."""
    if isinstance(value, dict) and value:
        for k, v in value.items():
            yield from leaf_paths(v, path + (k,))
    elif isinstance(value, list) and value:
        for i, v in enumerate(value):
            yield from leaf_paths(v, path + (i,))
    else:
        yield path


VALID = project_to_dict(make_project())
LEAVES = list(leaf_paths(VALID))


@fuzz
@given(st.sampled_from(LEAVES), json_values | st.just("__delete__"))
def test_fuzz_one_changed_leaf_loads_or_raises_project_file_error(path, value):
    data = copy.deepcopy(VALID)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if value == "__delete__":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    only_project_file_errors(project_from_dict, data)
    only_project_file_errors(loads_project, json.dumps(data))


finite = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def random_projects(draw):
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    sizes[-1] = max(sizes[-1], 2)
    hidden = draw(st.lists(st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu", "linear"]),
                           min_size=len(sizes) - 2, max_size=len(sizes) - 2))
    weights = [np.array(draw(st.lists(finite, min_size=o * i, max_size=o * i))).reshape(o, i)
               for i, o in zip(sizes, sizes[1:])]
    biases = [np.array(draw(st.lists(finite, min_size=o, max_size=o)), dtype=np.float64)
              for o in sizes[1:]]
    net = Network(sizes, hidden + ["softmax"], "cross_entropy", weights, biases)
    n = draw(st.integers(0, 4))
    inputs = np.array(draw(st.lists(finite, min_size=n * sizes[0], max_size=n * sizes[0])),
                      dtype=np.float64).reshape(n, sizes[0])
    labels = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    dataset = Dataset(name=draw(st.text()), title="t", inputs=inputs, labels=labels,
                      class_names=["a", "b"])
    history = History()
    for e in range(draw(st.integers(0, 3))):
        history.append(e, *draw(st.tuples(*[st.floats()] * 4)))
    return Project(net, dataset, TrainingConfig(learning_rate=draw(st.floats(1e-6, 10))), history,
                   draw(st.none() | st.text()), draw(st.integers(0, max(n - 1, 0))))


@fuzz
@given(random_projects())
def test_fuzz_random_projects_round_trip_exactly(p):
    assert_same_project(p, loads_project(dumps_project(p)))


# ----- repeated saves (autosave) ------------------------------------------------------------

def test_a_dataset_text_cache_writes_the_same_file_and_sees_every_dataset_edit(monkeypatch):
    project = make_project()
    cache = DatasetText()
    written = []
    real = project_writer._dataset_dict
    monkeypatch.setattr(project_writer, "_dataset_dict", lambda ds: written.append(ds) or real(ds))
    first = dumps_project(project, cache)
    project.network.weights[1][0, 0] = 0.125          # training moved on; the data did not
    second = dumps_project(project, cache)
    assert len(written) == 1                          # the dataset's text was written once
    assert second == dumps_project(project)           # and is the same as written afresh
    assert second != first
    assert_same_project(project, loads_project(second))

    ds = project.dataset
    edits = [
        lambda: ds.inputs.__setitem__((2, 1), 0.5),            # a pixel painted in place
        lambda: ds.labels.__setitem__(0, 1),                   # a label changed in place
        lambda: setattr(ds, "inputs", np.vstack([ds.inputs, ds.inputs[:1]]))
        or setattr(ds, "labels", np.append(ds.labels, 0)),     # a sample added
        lambda: ds.test_inputs.__setitem__((0, 0), 0.25),
        lambda: ds.class_names.__setitem__(0, "black"),
        lambda: setattr(ds, "title", "Renamed"),
    ]
    for edit in edits:
        edit()
        text = dumps_project(project, cache)
        assert text == dumps_project(project)
        assert_same_project(project, loads_project(text))


def test_save_with_a_dataset_text_cache_round_trips(tmp_path):
    project, cache = make_project(), DatasetText()
    for k in range(2):
        project.network.biases[0][0] = k / 3
        save_project(project, tmp_path / "p.bpnet", cache)
        assert_same_project(project, load_project(tmp_path / "p.bpnet"))


def test_a_regression_table_keeps_its_target_values_and_classes_have_none():
    from backprop_gui.engine.datasets import default_project

    p = default_project("line")
    p.dataset.values[2, 0] = 1 / 3
    data = project_to_dict(p)
    assert data["dataset"]["values"] == [[-1.0], [-0.5], [1 / 3], [0.5], [1.0]]
    q = loads_project(dumps_project(p))
    assert q.dataset.is_regression and same_bits(q.dataset.values, p.dataset.values)
    assert first_difference(p, q) is None
    q.dataset.values[0, 0] = 7.0
    assert first_difference(p, q) == "dataset.values"
    assert "values" not in project_to_dict(make_project())["dataset"]   # classes: as before
    data["dataset"]["values"] = [[1.0, 2.0]] * 5                         # 2 numbers, 1 output
    with pytest.raises(ProjectFileError, match=r"dataset.values: does not fit the network's "
                                               r"output layer: each sample has 2 target values"):
        project_from_dict(data)
    data["dataset"]["values"] = [[1.0]] * 4
    with pytest.raises(ProjectFileError, match=r"dataset.values: expected 5 rows of 1 number, got 4 rows"):
        project_from_dict(data)
