"""Each descent preset does what its lesson says, and the step-by-step Descender's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine.landscape import (
    NOISE_FADE_STEPS, TOY_FUNCTIONS, Descender, descend, is_global_minimum, nearest_minimum)
from backprop_gui.engine.landscape_presets import PRESETS, Preset, presets_for

BOWL, BUMPY = TOY_FUNCTIONS["bowl"], TOY_FUNCTIONS["bumpy"]


def _play(preset: Preset, limit: int = 2000) -> Descender:
    """Run a preset as Play does: until it settles, diverges or reaches `limit` steps."""
    walker = Descender(TOY_FUNCTIONS[preset.function], preset.start, preset.learning_rate,
                       preset.momentum, preset.noise, preset.seed)
    while walker.k < limit and not walker.diverged and not walker.settled():
        walker.step()
    return walker


def _preset(name: str) -> Preset:
    return next(p for p in PRESETS if p.name == name)


# ----- one step, by hand -------------------------------------------------------------------

def test_one_step_on_the_bowl_hand_computed() -> None:
    # f = x² + y² at (1, 1.5): f = 3.25, ∇f = (2, 3); α = 0.1 → p = (0.8, 1.2), f = 2.08.
    walker = Descender(BOWL, (1.0, 1.5), 0.1)
    step = walker.step()
    assert step.k == 1 and step.value == 3.25
    np.testing.assert_array_equal(step.gradient, [2.0, 3.0])
    np.testing.assert_allclose(step.scaled_gradient, [0.2, 0.3], rtol=1e-15)
    np.testing.assert_allclose(step.new_point, [0.8, 1.2], rtol=1e-15)
    assert step.new_value == pytest.approx(2.08, rel=1e-14)
    np.testing.assert_array_equal(step.noise, [0.0, 0.0])
    assert step.diverged == "" and walker.k == 1
    np.testing.assert_array_equal(walker.point, step.new_point)


def test_momentum_step_keeps_the_velocity() -> None:
    # v₁ = −0.1·(2, −2) = (−0.2, 0.2); v₂ = 0.9·v₁ − 0.1·∇f(0.8, −0.8) = (−0.34, 0.34).
    walker = Descender(BOWL, (1.0, -1.0), 0.1, momentum=0.9)
    walker.step()
    second = walker.step()
    np.testing.assert_allclose(second.velocity_before, [-0.2, 0.2], rtol=1e-15)
    np.testing.assert_allclose(second.velocity, [-0.34, 0.34], rtol=1e-14)
    np.testing.assert_allclose(second.new_point, [0.46, -0.46], rtol=1e-14)


def test_noise_is_seeded_and_fades() -> None:
    a = descend(BUMPY, (1.2, 1.8), 0.05, 50, noise=2.0, seed=3)
    b = descend(BUMPY, (1.2, 1.8), 0.05, 50, noise=2.0, seed=3)
    c = descend(BUMPY, (1.2, 1.8), 0.05, 50, noise=2.0, seed=4)
    np.testing.assert_array_equal(a.points, b.points)
    assert not np.array_equal(a.points, c.points)
    walker = Descender(BUMPY, (1.2, 1.8), 0.05, noise=2.0, seed=0)
    first = walker.step()
    expected = 2.0 * np.random.default_rng(0).standard_normal(2)   # σ₁ = σ
    np.testing.assert_array_equal(first.noise, expected)
    for _ in range(NOISE_FADE_STEPS - 1):
        walker.step()
    assert np.all(walker.step().noise == 0.0)                      # faded to nothing


def test_a_diverged_descent_stops() -> None:
    walker = Descender(BOWL, (1.0, 1.0), 1.1)
    while not walker.diverged:
        step = walker.step()
    assert "learning rate 1.1 is too large" in step.diverged
    assert np.all(np.isfinite(walker.point))
    with pytest.raises(RuntimeError, match="stopped"):
        walker.step()


def test_bad_rates_are_refused() -> None:
    with pytest.raises(ValueError, match="noise"):
        Descender(BOWL, (1, 1), 0.1, noise=-1.0)
    walker = Descender(BOWL, (1, 1), 0.1)
    with pytest.raises(ValueError, match="momentum"):
        walker.set_rates(0.1, momentum=1.5)
    walker.set_rates(0.2, 0.5, 0.0)
    assert (walker.learning_rate, walker.momentum) == (0.2, 0.5)


# ----- the presets' lessons ------------------------------------------------------------------

def test_presets_per_function() -> None:
    assert [p.name for p in presets_for("bowl")] == [
        "Learning rate too small", "Good learning rate", "Learning rate too large", "Diverging"]
    assert len(presets_for("ravine")) == 2 and len(presets_for("bumpy")) == 5
    with pytest.raises(ValueError, match="unknown function"):
        presets_for("saddle")


def test_learning_rate_presets_on_the_bowl() -> None:
    small, good = _play(_preset("Learning rate too small")), _play(_preset("Good learning rate"))
    large, wild = _play(_preset("Learning rate too large")), _play(_preset("Diverging"))
    assert good.k < 50 < large.k < small.k and not small.diverged
    # Too large: every step lands on the other side of the minimum.
    path = descend(BOWL, (1.5, 1.0), 0.9, 6).points
    assert np.all(np.sign(path[1:, 0]) == -np.sign(path[:-1, 0]))
    assert wild.diverged and "diverged" in wild.diverged


def test_momentum_helps_along_the_ravine() -> None:
    plain, rolling = _play(_preset("Ravine without momentum")), _play(_preset("Ravine with momentum"))
    assert plain.k > 400 and rolling.k < 150
    assert nearest_minimum(TOY_FUNCTIONS["ravine"], rolling.point)[1] < 1e-6


@pytest.mark.parametrize("name, minimum, is_global", [
    ("Bumps: start near the centre", (0.0, 0.0), True),
    ("Bumps: start on a diagonal", (1.494891, 1.494891), False),
    ("Bumps: start on the right", (2.989782, 0.0), False),
    ("Bumps: start in a corner", (2.98185, 2.98185), False),
    ("Bumps: noise shakes it out", (0.0, 0.0), True),
])
def test_bumpy_presets_end_in_their_minima(name, minimum, is_global) -> None:
    walker = _play(_preset(name))
    index, distance = nearest_minimum(BUMPY, walker.point)
    assert distance < 1e-5 and BUMPY.minima[index] == minimum
    assert is_global_minimum(BUMPY, index) is is_global
