"""The step-through cursor: which walkthrough step the student is looking at.

`StepCursor` holds the engine's walkthrough (forward, loss, backward, update) for the
selected sample (scope "sample") or for the whole dataset as one batch (scope "batch") and
a position in it. In the Input panel's Try it mode it holds the forward pass of the Try it
input alone, whatever the scope: that input is not in the dataset, so nothing trains on it
and there is no loss, backward or update phase to step through. It recomputes lazily after the session's values change and keeps the
student on the same kind of step, so painting a pixel while looking at ∂L/∂W² shows the
new ∂L/∂W² rather than jumping back to the start.

Every number comes from `engine.walkthrough`; `apply_update` commits exactly the update
steps' results, so what the student saw is what the network gets.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from ..engine.network import Gradients, Network
from ..engine.walkthrough import PHASES, Step, forward_walkthrough, loss_after_update, walkthrough
from .session import Session

SCOPES = ("sample", "batch")
PHASE_TITLES = {"forward": "Forward pass", "loss": "Loss", "backward": "Backward pass",
                "update": "Update"}


def step_key(step: Step) -> tuple:
    """What a step is about, independent of the numbers: (phase, kind, layer)."""
    return (step.phase, step.kind, step.layer)


class StepCursor(QObject):
    """A position in the walkthrough of the current network on the current scope."""

    steps_changed = Signal()       # new steps (numbers, scope or structure changed)
    step_moved = Signal(int)       # the cursor moved to this index
    update_applied = Signal(str)   # a gradient-descent step was committed (its undo text)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._scope = "sample"
        self._steps: list[Step] | None = None
        self._index = 0
        self._key: tuple | None = None     # the key to return to after a recompute
        self._lr: float | None = None      # the learning rate the steps were computed with
        self._revision = -1                # the session's revision they were computed for
        self._error = ""
        self._loss_pair: tuple[float, float] | None = None
        self._grads: Gradients | None = None
        session.values_changed.connect(self._on_values_changed)
        session.training_changed.connect(self.check_settings)

    # ----- the steps ---------------------------------------------------------------------

    @property
    def scope(self) -> str:
        return self._scope

    @property
    def steps(self) -> list[Step]:
        self._ensure()
        return self._steps  # type: ignore[return-value]

    @property
    def index(self) -> int:
        self._ensure()
        return self._index

    @property
    def step(self) -> Step | None:
        steps = self.steps
        return steps[self._index] if steps else None

    @property
    def error(self) -> str:
        """Why there are no steps (empty when there are)."""
        self._ensure()
        return self._error

    @property
    def learning_rate(self) -> float:
        return float(self.session.training.learning_rate)

    def set_scope(self, scope: str) -> None:
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r} (known: {', '.join(SCOPES)})")
        if scope == self._scope:
            return
        self._remember_and_invalidate()
        self._scope = scope
        self.steps_changed.emit()
        self.step_moved.emit(self.index)

    def scope_data(self) -> tuple[np.ndarray, np.ndarray]:
        """(X, Y) of the current scope: one sample (1, n) or every sample (N, n)."""
        s = self.session
        if self._scope == "sample" or s.trying:
            return s.sample_input().reshape(1, -1), s.sample_target().reshape(1, -1)
        return s.dataset.inputs, s.dataset.targets(s.network.sizes[-1])

    def scope_description(self) -> str:
        """"sample 3" or "all 24 samples", for sentences and undo texts."""
        if self._scope == "sample" or self.session.trying:
            return self.session.input_description()
        n = self.session.dataset.n_samples
        return f"all {n} samples" if n != 1 else "the only sample"

    def _current(self) -> None:
        """Drop what was computed for other numbers (keeping the student's place). Checked
        on every read: a view told of a change before this cursor must not get old steps."""
        if self._revision != self.session.revision:
            self._remember_and_invalidate()
            self._revision = self.session.revision

    def _ensure(self) -> None:
        self._current()
        if self._steps is not None and self._lr == self.learning_rate:
            return
        if self._steps is not None:  # only the learning rate changed
            self._remember_and_invalidate()
        self._lr = self.learning_rate
        try:
            X, Y = self.scope_data()
            if self.session.trying:
                self._steps = forward_walkthrough(self.session.network, X)
            else:
                self._steps = walkthrough(self.session.network, X, Y, self._lr)
            self._error = ""
        except (ValueError, IndexError) as exc:
            # A dataset that does not fit the network (yet): no steps, and say why.
            self._steps = []
            self._error = str(exc)
        self._index = self._find(self._key)
        self._key = None

    def _find(self, key: tuple | None) -> int:
        if key is not None:
            for i, step in enumerate(self._steps or []):
                if step_key(step) == key:
                    return i
        return 0

    def _remember_and_invalidate(self) -> None:
        if self._steps:
            self._key = step_key(self._steps[self._index])
        self._steps = None
        self._loss_pair = None
        self._grads = None

    def check_settings(self) -> None:
        """A training setting changed: recompute if the learning rate is not the one shown
        (a rate read lazily would otherwise only show on the next change of values)."""
        if self._steps is not None and self._lr != self.learning_rate:
            self._remember_and_invalidate()
            self.steps_changed.emit()

    def _on_values_changed(self) -> None:
        # Cheap: the walkthrough is recomputed when a view next asks for the steps.
        self._current()
        self.steps_changed.emit()

    # ----- moving -----------------------------------------------------------------------

    def go_to(self, i: int) -> bool:
        """Move to step i (clamped to the steps); True if the cursor moved."""
        steps = self.steps
        if not steps:
            return False
        i = max(0, min(int(i), len(steps) - 1))
        if i == self._index:
            return False
        self._index = i
        self.step_moved.emit(i)
        return True

    def next(self) -> bool:
        return self.go_to(self.index + 1)

    def previous(self) -> bool:
        return self.go_to(self.index - 1) if self.index > 0 else False

    def first(self) -> bool:
        return self.go_to(0)

    def last(self) -> bool:
        return self.go_to(len(self.steps) - 1)

    def phase_starts(self) -> list[int]:
        """Index of the first step of each phase, in order."""
        starts, seen = [], None
        for i, step in enumerate(self.steps):
            if step.phase != seen:
                starts.append(i)
                seen = step.phase
        return starts

    def next_phase(self) -> bool:
        """To the first step of the next phase (or the last step when in the last phase)."""
        later = [i for i in self.phase_starts() if i > self.index]
        return self.go_to(later[0]) if later else self.last()

    def previous_phase(self) -> bool:
        """To the start of this phase; from a phase's first step, to the previous phase's start
        (as a media player's "previous track" does)."""
        earlier = [i for i in self.phase_starts() if i < self.index]
        return self.go_to(earlier[-1]) if earlier else False

    def at_end(self) -> bool:
        return not self.steps or self.index == len(self.steps) - 1

    def past_backward(self) -> bool:
        """True once every gradient has been computed (the cursor is in the update phase)."""
        step = self.step
        return step is not None and step.phase == "update"

    def phase_of(self, i: int) -> str:
        return self.steps[i].phase

    # ----- what the views need ------------------------------------------------------------

    def steps_of_phase(self, phase: str) -> list[tuple[int, Step]]:
        if phase not in PHASES:
            raise ValueError(f"unknown phase {phase!r}")
        return [(i, s) for i, s in enumerate(self.steps) if s.phase == phase]

    def update_steps(self, layer: int) -> tuple[Step, Step] | None:
        """The (update W, update b) steps of textbook layer `layer`."""
        found = {s.kind: s for s in self.steps if s.phase == "update" and s.layer == layer}
        if "update_W" not in found or "update_b" not in found:
            return None
        return found["update_W"], found["update_b"]

    def loss_before_after(self) -> tuple[float, float] | None:
        """The scope's loss before and after one gradient-descent step (None without steps,
        and for the Try it input, which nothing trains on)."""
        if not self.steps or self.session.trying:
            return None
        if self._loss_pair is None:
            X, Y = self.scope_data()
            self._loss_pair = loss_after_update(self.session.network, X, Y, self.learning_rate)
        return self._loss_pair

    def gradients_for_view(self) -> Gradients | None:
        """Backprop's gradients on the current scope (for the diagram's gradients mode)."""
        if self._scope == "sample" or self.session.trying:
            try:
                return self.session.gradients()
            except (ValueError, IndexError):
                return None
        self._current()
        if self._grads is None:
            try:
                X, Y = self.scope_data()
                net = self.session.network
                self._grads = net.backward(net.forward(X), Y, input_gradient=False)
            except (ValueError, IndexError):
                return None
        return self._grads

    def updated_network(self) -> Network:
        """The network with the update steps' results as its parameters."""
        net = self.session.network.copy()
        for step in self.steps:
            if step.phase != "update":
                continue
            target = net.weights if step.kind == "update_W" else net.biases
            target[step.layer - 1] = np.array(step.result, dtype=np.float64)
        return net

    def update_text(self) -> str:
        return f"Gradient-descent step on {self.scope_description()}"

    def apply_update(self) -> str:
        """Commit the gradient-descent step shown by the update steps as one undo entry.

        Returns the undo text. Raises ValueError when there is nothing to apply.
        """
        if not self.steps:
            raise ValueError(self._error or "there is no step to apply")
        if self.session.trying:
            raise ValueError("the Try it input is not in the dataset: nothing trains on it")
        text = self.update_text()
        new = self.updated_network()
        # After the update the student starts over: the new forward pass comes first.
        self._key = step_key(self.steps[0])
        self._index = 0
        self.session.replace_network(text, new)
        self.update_applied.emit(text)
        self.step_moved.emit(self.index)
        return text
