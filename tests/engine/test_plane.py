"""The input plane the 2-D views share (engine/plane.py): its square and its lattice."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine.plane import GRID, plane_lattice, plane_limit


@pytest.mark.parametrize("extent,limit", [
    (0.0, 1.25), (1.0, 1.25), (1.25, 1.25), (1.26, 1.5), (2.0, 2.0), (3.1, 3.25), (-7.4, 7.5)])
def test_the_square_grows_in_quarter_steps_beyond_the_usual_one(extent, limit):
    assert plane_limit(np.array([[0.0, 0.5], [extent, 0.0]])) == limit


def test_no_samples_give_the_usual_square_and_huge_ones_their_extent():
    assert plane_limit(np.zeros((0, 2))) == 1.25
    assert plane_limit(np.array([[1e20, 0.0]])) == 1e20     # no quarter steps (and no overflow)


def test_the_lattice_runs_row_by_row_from_the_top_left():
    points = plane_lattice(2.0, grid=5)
    assert points.shape == (25, 2)
    assert points[0].tolist() == [-2.0, 2.0]        # top left: smallest x₁, largest x₂
    assert points[4].tolist() == [2.0, 2.0]         # the first row runs to the right
    assert points[5].tolist() == [-2.0, 1.0]        # the next row is lower
    assert points[-1].tolist() == [2.0, -2.0]
    assert plane_lattice(1.25).shape == (GRID * GRID, 2)
