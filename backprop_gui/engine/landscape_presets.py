"""Ready-made descents on the toy functions, each showing one lesson of gradient descent.

The learning rate: too small crawls, a good one walks straight in, too large zig-zags,
larger still diverges. The bumpy surface: where descent ends depends on where it starts.
Momentum rolls along the ravine's floor; noise can shake a point out of a local minimum.
The numbers were chosen by running `landscape.Descender` (tests/engine/test_landscape_presets.py
checks that each preset still does what its lesson says).
"""

from __future__ import annotations

from dataclasses import dataclass

from .landscape import get_toy_function


@dataclass(frozen=True)
class Preset:
    """A start, the rates and what the student should see."""

    name: str
    function: str
    start: tuple[float, float]
    learning_rate: float
    momentum: float = 0.0
    noise: float = 0.0
    seed: int = 0
    lesson: str = ""


PRESETS: tuple[Preset, ...] = (
    Preset("Learning rate too small", "bowl", (1.5, 1.0), 0.01,
           lesson="α = 0.01: each step removes only 2 % of the distance; the point crawls "
                  "and needs hundreds of steps."),
    Preset("Good learning rate", "bowl", (1.5, 1.0), 0.2,
           lesson="α = 0.2: each step removes 40 % of the distance; the point walks straight "
                  "into the minimum."),
    Preset("Learning rate too large", "bowl", (1.5, 1.0), 0.9,
           lesson="α = 0.9: each step overshoots to the other side (p ← −0.8·p); the point "
                  "zig-zags across the bowl and only slowly settles."),
    Preset("Diverging", "bowl", (1.5, 1.0), 1.1,
           lesson="α = 1.1: each step overshoots further than it started (p ← −1.2·p); the "
                  "point flies out of the bowl and the descent stops."),
    Preset("Ravine without momentum", "ravine", (-1.8, 1.0), 0.02,
           lesson="α = 0.02 is held back by the steep sides (above 0.1 it diverges), so the "
                  "point creeps along the flat floor: over 400 steps."),
    Preset("Ravine with momentum", "ravine", (-1.8, 1.0), 0.02, momentum=0.6,
           lesson="Same α, momentum μ = 0.6: the steps along the floor add up while the "
                  "zig-zags across cancel: about 130 steps."),
    Preset("Bumps: start near the centre", "bumpy", (0.5, 0.3), 0.05,
           lesson="This start lies in the basin of the global minimum at (0, 0)."),
    Preset("Bumps: start on a diagonal", "bumpy", (1.2, 1.8), 0.05,
           lesson="This start rolls into the local minimum near (1.49, 1.49): gradient "
                  "descent only ever goes downhill, so it stays there."),
    Preset("Bumps: start on the right", "bumpy", (2.7, 0.3), 0.05,
           lesson="This start ends in the local minimum near (2.99, 0), higher still."),
    Preset("Bumps: start in a corner", "bumpy", (2.6, 2.6), 0.05,
           lesson="This start ends in the highest of the local minima, near (2.98, 2.98)."),
    Preset("Bumps: noise shakes it out", "bumpy", (1.2, 1.8), 0.05, noise=5.0, seed=0,
           lesson="The start that got stuck near (1.49, 1.49), now with SGD-style noise that "
                  "fades away: it is shaken out and settles in the global minimum. With other "
                  "seeds it may settle elsewhere: noise is luck, not a guarantee."),
)


def presets_for(function: str) -> list[Preset]:
    """The presets on the toy function called `function` (ValueError if there is none)."""
    get_toy_function(function)
    return [p for p in PRESETS if p.function == function]
