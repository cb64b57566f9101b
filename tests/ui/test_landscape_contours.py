"""Contour lines by marching squares: on the level, in every cell the level crosses."""

from __future__ import annotations

import numpy as np

from backprop_gui.ui.landscape.contour_plot import arrow_segments
from backprop_gui.ui.landscape.contours import contour_lines, level_segments, nice_levels


def test_a_circle_of_the_bowl() -> None:
    xs = np.linspace(-2, 2, 81)
    X, Y = np.meshgrid(xs, xs)
    x, y = contour_lines(X ** 2 + Y ** 2, [1.0], -2.0, -2.0, 0.05, 0.05)
    assert len(x) % 2 == 0 and len(x) > 100
    # Linear interpolation along the grid lines: on the circle up to the curvature's error.
    np.testing.assert_allclose(np.hypot(x, y), 1.0, atol=1e-3)
    # Every segment joins two points of neighbouring cell edges: no long jumps.
    lengths = np.hypot(x[1::2] - x[::2], y[1::2] - y[::2])
    assert lengths.max() <= 0.05 * np.sqrt(2) + 1e-12


def test_hand_computed_cell() -> None:
    # One cell, corners 0 (bottom left), 1, 1, 2: the level 0.5 cuts the bottom edge at
    # x = 0.5 and the left edge at y = 0.5.
    segments = level_segments(np.array([[0.0, 1.0], [1.0, 2.0]]), 0.5)
    np.testing.assert_allclose(segments, [[[0.5, 0.0], [0.0, 0.5]]])


def test_a_saddle_cell_is_cut_by_its_centre() -> None:
    Z = np.array([[1.0, 0.0], [0.0, 1.0]])          # centre 0.5
    low = level_segments(Z, 0.4)                     # centre above: the 0-corners cut off
    assert low.shape == (2, 2, 2)
    corners = {tuple(np.round(s.mean(axis=0), 3)) for s in low}
    assert corners == {(0.8, 0.2), (0.2, 0.8)}
    high = level_segments(Z, 0.6)                    # centre below: the 1-corners cut off
    assert {tuple(np.round(s.mean(axis=0), 3)) for s in high} == {(0.2, 0.2), (0.8, 0.8)}


def test_cells_with_a_missing_value_have_no_segment() -> None:
    Z = np.array([[0.0, 1.0, 0.0], [1.0, np.nan, 1.0], [0.0, 1.0, np.inf]])
    assert level_segments(Z, 0.5).shape == (0, 2, 2)
    assert level_segments(np.zeros((1, 5)), 0.5).shape == (0, 2, 2)
    assert level_segments(np.zeros((3, 3)), 0.5).shape == (0, 2, 2)


def test_nice_levels_follow_the_values() -> None:
    Z = np.concatenate([np.linspace(0, 1, 99), [1000.0]])
    levels = nice_levels(Z, 4)
    assert len(levels) == 4 and levels.max() < 2       # the outlier does not spread them
    assert nice_levels(np.full(5, 3.0)).size == 0
    assert nice_levels(np.array([np.nan, np.inf])).size == 0


def test_arrow_segments() -> None:
    x, y = arrow_segments(1.0, 2.0, 0.0, -1.0)        # pointing down, length 1
    assert len(x) == 6
    assert (x[0], y[0], x[1], y[1]) == (1.0, 2.0, 1.0, 1.0)
    # Both strokes of the head start at the tip and go back up, 0.3 long.
    for k in (2, 4):
        assert (x[k], y[k]) == (1.0, 1.0)
        assert y[k + 1] > 1.0
        np.testing.assert_allclose(np.hypot(x[k + 1] - 1.0, y[k + 1] - 1.0), 0.3)
