"""PeakSeries and LogPeakSeries: the loss curve thinned for drawing, a frame at a time."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_gui.ui.plots.decimate import LogPeakSeries, PeakSeries, log_peaks


def direct(x: np.ndarray, y: np.ndarray, ds: int) -> tuple[np.ndarray, np.ndarray]:
    """The same picture computed in one go, block by block in plain Python."""
    if ds == 1:
        return x, y
    out_x, out_y = [], []
    complete = len(x) // ds * ds
    for start in range(0, complete, ds):
        block = y[start:start + ds]
        finite = block[~np.isnan(block)]
        lo, hi = (finite.min(), finite.max()) if finite.size else (np.nan, np.nan)
        out_x += [x[start], x[start]]
        out_y += [lo, hi]
    return np.array(out_x + list(x[complete:])), np.array(out_y + list(y[complete:]))


def test_short_series_are_drawn_as_they_are():
    series = PeakSeries(limit=100)
    x, y = np.arange(1, 101, dtype=float), np.linspace(2.0, 1.0, 100)
    sx, sy = series.update(x, y)
    assert series.ds == 1
    assert np.array_equal(sx, x) and np.array_equal(sy, y)


@pytest.mark.parametrize("n", [101, 250, 4_000, 12_345])
def test_long_series_keep_every_block_peak_and_stay_short(n):
    rng = np.random.default_rng(n)
    x = np.arange(1, n + 1, dtype=float)
    y = np.exp(-x / 500) + rng.normal(scale=0.05, size=n)
    y[n // 3] = 7.0                                # a spike must survive the thinning
    y[n // 2: n // 2 + 300] = np.nan              # a diverged stretch: a gap
    series = PeakSeries(limit=100)
    sx, sy = series.update(x, y)
    ds = series.ds
    assert ds & (ds - 1) == 0 and n <= ds * 100 < 2 * n        # smallest power of two
    assert len(sx) <= 2 * 100 + ds
    ex, ey = direct(x, y, ds)
    assert np.array_equal(sx, ex)
    np.testing.assert_array_equal(sy, ey)
    assert np.nanmax(sy) == 7.0 and np.nanmin(sy) == np.nanmin(y)


def test_fed_a_frame_at_a_time_it_matches_the_whole_computed_at_once():
    rng = np.random.default_rng(1)
    n = 20_000
    x = np.arange(1, n + 1, dtype=float)
    y = rng.random(n)
    y[rng.random(n) < 0.01] = np.inf
    series = PeakSeries(limit=500, transform=lambda v: np.where(np.isfinite(v), v, np.nan))
    end = 0
    while end < n:
        end = min(n, end + int(rng.integers(1, 700)))
        sx, sy = series.update(x[:end], y[:end])
        ex, ey = direct(x[:end], np.where(np.isfinite(y[:end]), y[:end], np.nan),
                        series.block_size(end))
        assert np.array_equal(sx, ex)
        np.testing.assert_array_equal(sy, ey)


def test_a_history_cut_short_starts_over():
    series = PeakSeries(limit=10)
    x, y = np.arange(1000, dtype=float), np.arange(1000, dtype=float)
    series.update(x, y)
    sx, sy = series.update(x[:50], -y[:50])        # undo: a shorter, different history
    ex, ey = direct(x[:50], -y[:50], series.ds)
    assert np.array_equal(sx, ex) and np.array_equal(sy, ey)


def test_log_peaks_bins_evenly_on_a_log_axis_and_keeps_every_peak():
    x = np.arange(1, 100_001, dtype=float)
    y = 1.0 / x
    y[50_000] = 5.0                                  # a spike late in the run
    lx, ly = log_peaks(x, y, limit=1_000)
    assert len(lx) <= 2_000
    assert list(lx[:4]) == list(np.log10([1, 2, 3, 4]))   # the first epochs one by one
    assert ly.max() == 5.0 and ly.min() == 1e-5            # the spike and the last value kept
    assert np.all(np.diff(lx) >= 0)
    small_x, small_y = log_peaks(x[:10], y[:10], transform=lambda v: 2 * v)
    assert list(small_x) == list(np.log10(x[:10])) and list(small_y) == list(2 * y[:10])


def log_loss(values: np.ndarray) -> np.ndarray:
    """As the loss plot draws a loss on a log axis: log10, and gaps for ±∞ and ≤ 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isfinite(values) & (values > 0), np.log10(values), np.nan)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), limit=st.sampled_from([3, 20, 1_000]),
       length=st.integers(1, 12_000))
def test_log_peaks_a_frame_at_a_time_are_those_of_the_whole_history(seed, limit, length):
    """Epochs appended in chunks of any size (now and then cut short, as by an undo): after
    every chunk the incremental curve is exactly the one binned from the whole history."""
    rng = np.random.default_rng(seed)
    # Epochs increasing from any start, with gaps (a thinned history); losses with spikes,
    # NaN, ±∞ and zeros (no place on a log axis).
    epochs = rng.integers(1, 40) + np.cumsum(rng.integers(1, 4, length))
    loss = np.exp(rng.normal(0.0, 2.0, length))
    special = rng.random(length)
    loss[special < 0.02] = np.nan
    loss[(special >= 0.02) & (special < 0.03)] = np.inf
    loss[(special >= 0.03) & (special < 0.04)] = 0.0
    series = LogPeakSeries(limit, log_loss)
    n = 0
    while n < length:
        if rng.random() < 0.05:
            n = int(rng.integers(0, n + 1))          # cut short: an undo
        n = min(length, n + int(rng.choice([1, 2, 7, 60, 900, 5_000])))
        got_x, got_y = series.update(epochs[:n], loss[:n])
        want_x, want_y = log_peaks(epochs[:n], loss[:n], log_loss, limit)
        np.testing.assert_array_equal(got_x, want_x)
        np.testing.assert_array_equal(got_y, want_y)
        assert len(got_x) <= max(n, 2 * limit)
