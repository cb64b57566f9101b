"""Motion: how the network diagram draws while training streams new values.

Training recolours the diagram up to 60 times a second. Some of what a recolour shows is
costly and cannot be read at that pace: the dead-ReLU marks (a forward pass over the whole
dataset), the legend's numbers, the check that labels still fit, the numbers inside the
neurons. While the training clock's frames stream (TrainingFrame.streaming) these follow a
few times a second, each through a Throttle, and the frame that ends the stream draws
everything exactly. Meanwhile the items draw for speed: Motion is the one owner of that
state and tells the edge and neuron items (`set_in_motion`) at each recolour.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from ...session.session import Session
from ...session.training_clock import TrainingFrame
from ..common.throttle import Throttle
from .nodes import NUMBER_GROUPS
from .scene import DiagramScene
from .values import dead_masks

DEAD_REFRESH_MS = 400         # dead-ReLU marks while values stream in: this often at most
LEGEND_REFRESH_MS = 250       # the legend's numbers while training streams
NUMBERS_REFRESH_MS = 360      # each neuron's number while training streams
DEAD_MARKS_SHARE = 0.02       # of the time while training streams, at most, for the dead marks


class Motion:
    """Whether the diagram's values are in motion, and what follows them a few times a second.

    The view hands it each training frame (`on_training_frame`) and each change of its own
    (`on_values_changed`); at each recolour, `begin_recolour` puts the items in or out of
    motion. The throttles are public so that a test can make a turn come at once or never."""

    def __init__(self, session: Session, scene: DiagramScene, parent: QObject | None = None) -> None:
        self._session = session
        self._scene = scene
        self._stream = False      # the last training frame streams, and nothing else changed
        self._in_motion = False   # the items draw for speed (as of the last recolour)
        self._dead: list | None = None
        self.legend_throttle = Throttle(LEGEND_REFRESH_MS, parent=parent)
        self.dead_throttle = Throttle(DEAD_REFRESH_MS, parent=parent)
        # The neurons' waiting numbers, a group at a time: each a few times a second, and
        # not all of them repainted in one frame.
        self.numbers_throttle = Throttle(NUMBERS_REFRESH_MS / NUMBER_GROUPS, parent=parent)
        self._numbers_group = 0

    @property
    def in_motion(self) -> bool:
        """Whether the items draw for speed (edges aliased and fewer, numbers waiting)."""
        return self._in_motion

    def on_training_frame(self, frame: TrainingFrame) -> None:
        """While frames stream the next recolour draws for speed; the frame that ends a
        stream is drawn exactly."""
        self._stream = frame.streaming

    def on_values_changed(self) -> None:
        """A change of the diagram's own (an edit): drawn exactly. A training frame's
        signals come before the frame itself, which then says how to draw it."""
        self._stream = False

    def reset(self) -> None:
        """The scene was rebuilt: its new items draw exactly."""
        self._stream = self._in_motion = False

    def begin_recolour(self) -> bool:
        """Put the items in motion or out of it for this recolour; whether they are."""
        on = self._stream
        if on != self._in_motion:
            self._in_motion = on
            for item in self._scene.edges:
                item.set_in_motion(on)
            for row in self._scene.neurons[1:]:   # inputs do not change while a network trains
                for neuron in row:
                    neuron.set_in_motion(on)
            if not on:
                self._scene.redraw_deferred_numbers()
        return on

    def legend_due(self) -> bool:
        """Whether the few-times-a-second parts (legend numbers, label fit) are due now."""
        if self._in_motion and not self.legend_throttle.ready():
            return False
        self.legend_throttle.ran()
        return True

    def redraw_waiting_numbers(self) -> None:
        """The numbers inside neurons: all of them when the values stand still, else a group
        whenever its turn comes."""
        if not self._in_motion:
            self._scene.redraw_deferred_numbers()
        elif self.numbers_throttle.ready():
            self.numbers_throttle.ran()
            self._scene.redraw_deferred_numbers(self._numbers_group)
            self._numbers_group = (self._numbers_group + 1) % NUMBER_GROUPS

    def dead_masks(self) -> list:
        """The dead-ReLU masks to show: exact when still, a few times a second in motion."""
        throttle = self.dead_throttle
        if self._dead is None or not self._in_motion or throttle.ready():
            throttle.ran()
            self._dead = dead_masks(self._session)
            # A big dataset makes the forward pass behind the marks costly: then refresh
            # them so that it takes at most DEAD_MARKS_SHARE of the time.
            throttle.interval_ms = max(DEAD_REFRESH_MS, throttle.elapsed_ms() / DEAD_MARKS_SHARE)
        return self._dead
