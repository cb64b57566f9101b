"""History stays bounded however long training runs: the first and the last epochs are kept
whole, the stretch between them thins out, and every record keeps its own numbers."""

from __future__ import annotations

import math

import numpy as np

from backprop_gui.engine import project
from backprop_gui.engine.project import History, HistoryArrays


def record(h: History, e: int) -> None:
    h.append(e, 1.0 / e, (e % 7) / 7, 2.0 / e, math.nan if e % 2 else 0.5)


def test_a_long_run_keeps_its_head_and_tail_whole_and_thins_the_middle():
    h = History()
    for e in range(1, 250_001):                     # 12 s of a small net at 20,000 epochs/s
        record(h, e)
    assert len(h) <= project.MAX_RECORDS
    epochs = np.array(h.epoch)
    assert list(epochs[:project.HEAD_RECORDS]) == list(range(1, project.HEAD_RECORDS + 1))
    tail = list(range(250_001 - project.TAIL_RECORDS, 250_001))
    assert list(epochs[-project.TAIL_RECORDS:]) == tail
    assert np.all(np.diff(epochs) > 0)
    # The middle is evenly spaced: no gap wider than twice the run over half the room.
    room = (project.MAX_RECORDS - project.HEAD_RECORDS - project.TAIL_RECORDS) // 2
    assert np.diff(epochs).max() <= 2 * 250_000 / room
    # Every record still holds its own epoch's numbers.
    assert h.loss == [1.0 / e for e in h.epoch]
    assert h.accuracy == [(e % 7) / 7 for e in h.epoch]
    assert h.val_loss == [2.0 / e for e in h.epoch]
    assert all((math.isnan(v) if e % 2 else v == 0.5) for e, v in zip(h.epoch, h.val_accuracy))


def test_a_million_epochs_stay_within_the_limit_in_the_same_lists():
    h = History()
    lists = [h.epoch, h.loss]
    for e in range(1, 1_000_001):
        record(h, e)
    assert project.MAX_RECORDS // 2 < len(h) <= project.MAX_RECORDS
    assert h.epoch[-1] == 1_000_000 and h.epoch[0] == 1
    assert h.epoch is lists[0] and h.loss is lists[1]     # thinned in place
    # Drawn 500 pixels across, every pixel of the curve still has dozens of records.
    epochs = np.array(h.epoch)
    per_pixel = np.histogram(epochs, bins=500, range=(1, 1_000_001))[0]
    assert per_pixel.min() >= 30


def test_short_histories_are_left_alone():
    h = History()
    for e in range(1, 5_001):
        record(h, e)
    h.thin()                    # nothing between head and tail to thin at this length
    assert h.epoch == list(range(1, 5_001))


def test_copy_is_equal_and_independent():
    h = History()
    for e in range(1, 11):
        record(h, e)
    c = h.copy()
    assert c.epoch == h.epoch and c.loss == h.loss and c.accuracy == h.accuracy
    assert c.val_loss == h.val_loss
    assert all(math.isnan(a) and math.isnan(b) or a == b
               for a, b in zip(c.val_accuracy, h.val_accuracy))
    record(h, 11)
    h.loss[0] = 99.0
    assert len(c) == 10 and c.loss[0] == 1.0


def test_irregular_epochs_thin_to_an_even_spread():
    # Records every 7th to 13th epoch (as a file written elsewhere might hold).
    rng = np.random.default_rng(0)
    epochs = np.cumsum(rng.integers(7, 14, 50_000)).tolist()
    keep = project.spread_out(epochs, 0, len(epochs), 5_000)
    assert 2_500 <= len(keep) <= 5_000
    kept = np.array(epochs)[keep]
    counts = np.histogram(kept, bins=20, range=(epochs[0], epochs[-1] + 1))[0]
    assert counts.min() >= 0.8 * counts.max()
    # Thinning again keeps a subset of what was kept.
    again = project.spread_out(kept.tolist(), 0, len(kept), 1_000)
    assert set(kept[again].tolist()) <= set(kept.tolist()) and len(again) <= 1_000


def test_prefix_keeps_the_first_records_independently():
    h = History()
    for e in range(1, 11):
        record(h, e)
    p = h.prefix(4)
    assert p.epoch == [1, 2, 3, 4] and p.loss == h.loss[:4] and p.val_loss == h.val_loss[:4]
    h.loss[0] = 99.0
    assert p.loss[0] == 1.0 and len(h.prefix(50)) == 10


def test_compact_copies_keep_the_history_in_40_bytes_a_record_and_give_it_back_bit_for_bit():
    h = History()
    for e in range(1, 5_001):
        h.append(e, 1.0 / e, (e % 3) / 3, math.nan if e % 2 else -0.0, math.inf)
    kept = h.compact()
    assert len(kept) == len(h) and kept.nbytes == 40 * len(h)
    back = kept.history()
    assert back.epoch == h.epoch and back.loss == h.loss and back.accuracy == h.accuracy
    assert all(type(e) is int for e in back.epoch[:3])
    assert [math.copysign(1, v) for v in back.val_loss[1::2]] == [-1.0] * 2500
    assert all(math.isnan(v) for v in back.val_loss[::2])
    assert back.val_accuracy == [math.inf] * 5000
    h.loss[0] = 7.0                                 # later training does not reach the copy
    h.append(5_001, 0.5, 0.5)
    assert kept.history().loss[0] == 1.0 and len(kept) == 5_000


def test_followed_arrays_grow_with_the_history_and_restart_for_a_new_one():
    arrays, h = HistoryArrays(), History()
    for e in range(1, 301):
        h.append(e, 1.0 / e, 0.5)
        data = arrays.follow(h)
    assert list(data["epoch"]) == list(range(1, 301))
    assert list(data["loss"]) == h.loss
    generation = arrays.generation
    short = History(epoch=[1], loss=[9.0], accuracy=[0.0], val_loss=[math.nan],
                    val_accuracy=[math.nan])
    assert list(arrays.follow(short)["loss"]) == [9.0]
    assert arrays.generation == generation + 1


def test_followed_arrays_start_over_when_a_long_history_thins_out():
    arrays, h = HistoryArrays(), History()
    for e in range(1, project.MAX_RECORDS + 1):
        h.append(e, 1.0 / e, 0.5)
    data = arrays.follow(h)
    assert len(data["epoch"]) == project.MAX_RECORDS
    generation = arrays.generation
    for e in range(project.MAX_RECORDS + 1, project.MAX_RECORDS + 301):   # thins once
        h.append(e, 1.0 / e, 0.5)
        data = arrays.follow(h)
    assert len(h) < project.MAX_RECORDS
    assert arrays.generation == generation + 1
    assert list(data["epoch"]) == h.epoch
    assert list(data["loss"]) == h.loss
