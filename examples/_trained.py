"""A helper of the plot examples: a new project's network trained for a few epochs."""

from __future__ import annotations

from backprop_gui.session.session import Session
from backprop_gui.session.training_clock import TrainingClock


def trained_session(epochs: int = 60) -> tuple[Session, TrainingClock]:
    """A default Session trained for `epochs` epochs, and the clock that trained it."""
    session = Session()
    clock = TrainingClock(session)
    for _ in range(epochs):
        clock.step_epoch()
    return session, clock
