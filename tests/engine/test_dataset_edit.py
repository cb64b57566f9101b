"""Dataset edits: each returns a new Dataset (or new inputs) and leaves the old one intact."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine import dataset_edit
from backprop_gui.engine.dataset import Dataset


@pytest.fixture
def ds() -> Dataset:
    return Dataset("t", "t", [[0.0, 1.0], [0.5, 0.25], [1.0, 0.0]], [0, 1, 0], ["A", "B"],
                   kind="points")


def unchanged(ds: Dataset) -> bool:
    return (np.array_equal(ds.inputs, [[0.0, 1.0], [0.5, 0.25], [1.0, 0.0]])
            and list(ds.labels) == [0, 1, 0])


def test_add_duplicate_delete_and_relabel_give_new_datasets(ds):
    added = dataset_edit.add_sample(ds, np.array([0.75, -0.5]), 1)
    assert added.inputs.tolist()[-1] == [0.75, -0.5] and list(added.labels) == [0, 1, 0, 1]
    zeros = dataset_edit.add_sample(ds)
    assert zeros.inputs.tolist()[-1] == [0.0, 0.0] and zeros.labels[-1] == 0
    dup = dataset_edit.duplicate_sample(ds, 1)
    assert dup.inputs.tolist() == [[0.0, 1.0], [0.5, 0.25], [0.5, 0.25], [1.0, 0.0]]
    assert list(dup.labels) == [0, 1, 1, 0]
    deleted = dataset_edit.delete_sample(ds, 0)
    assert deleted.inputs.tolist() == [[0.5, 0.25], [1.0, 0.0]] and list(deleted.labels) == [1, 0]
    relabelled = dataset_edit.relabel_sample(ds, 2, 1)
    assert list(relabelled.labels) == [0, 1, 1]
    assert unchanged(ds)


def test_the_last_sample_stays_and_the_limit_holds(ds, monkeypatch):
    one = dataset_edit.delete_sample(dataset_edit.delete_sample(ds, 0), 0)
    with pytest.raises(ValueError, match="at least one sample"):
        dataset_edit.delete_sample(one, 0)
    monkeypatch.setattr(dataset_edit, "MAX_SAMPLES", 3)
    with pytest.raises(ValueError, match="at most 3 samples"):
        dataset_edit.add_sample(ds)
    with pytest.raises(ValueError, match="at most 3 samples"):
        dataset_edit.duplicate_sample(ds, 0)


def test_painted_clips_to_paper_and_ink_and_point_inputs_must_be_finite(ds):
    values = dataset_edit.painted(ds, 1, {0: 1.5, 1: -0.25})
    assert values.tolist() == [1.0, 0.0]
    assert unchanged(ds)
    assert dataset_edit.point_inputs(ds, [2.5, -3]).tolist() == [2.5, -3.0]   # points: no clipping
    for bad in ([1.0], [1.0, np.nan], [np.inf, 0.0]):
        with pytest.raises(ValueError, match="a sample needs 2 finite numbers"):
            dataset_edit.point_inputs(ds, bad)
