"""MotionMixin: how the network view draws while training streams new values.

Training recolours the diagram up to 60 times a second. Some of what a recolour shows is
costly and cannot be read at that pace: the dead-ReLU marks (a forward pass over the whole
dataset), the legend's numbers, the check that labels still fit, the numbers inside the
neurons. While the training clock's frames stream (TrainingFrame.streaming) these follow a
few times a second, each through a Throttle, and the frame that ends the stream draws
everything exactly. The scene meanwhile draws for speed (see DiagramScene.set_streaming).
"""

from __future__ import annotations

from ...session.training_clock import TrainingFrame
from ..throttle import Throttle
from .nodes import NUMBER_GROUPS
from .values import dead_masks

DEAD_REFRESH_MS = 400         # dead-ReLU marks while values stream in: this often at most
LEGEND_REFRESH_MS = 250       # the legend's numbers while training streams
NUMBERS_REFRESH_MS = 360      # each neuron's number while training streams
DEAD_MARKS_SHARE = 0.02       # of the time while training streams, at most, for the dead marks


class MotionMixin:
    """For NetworkView: needs `session`, `_scene` and `_mark_dirty` (recolour soon)."""

    def _init_motion(self) -> None:
        self._dead: list | None = None
        self._streaming = False   # the last training frame streams, and nothing else changed
        self._legend_throttle = Throttle(LEGEND_REFRESH_MS, parent=self)
        self._dead_throttle = Throttle(DEAD_REFRESH_MS, parent=self)
        # The neurons' waiting numbers, a group at a time: each a few times a second, and
        # not all of them repainted in one frame.
        self._numbers_throttle = Throttle(NUMBERS_REFRESH_MS / NUMBER_GROUPS, parent=self)
        self._numbers_group = 0

    def on_training_frame(self, frame: TrainingFrame) -> None:
        """Connect TrainingClock.frame here: while frames stream the view draws for speed,
        and the frame that ends a stream draws everything exactly."""
        self._streaming = frame.streaming
        self._mark_dirty()

    def _note_recolour(self) -> bool:
        """Whether this recolour is one of a stream of training frames."""
        self._scene.set_streaming(self._streaming)
        return self._streaming

    def _legend_due(self, streaming: bool) -> bool:
        """Whether the few-times-a-second parts (legend numbers, label fit) are due now."""
        if streaming and not self._legend_throttle.ready():
            return False
        self._legend_throttle.ran()
        return True

    def _redraw_waiting_numbers(self, streaming: bool) -> None:
        """The numbers inside neurons: all of them when the values stand still, else a group
        whenever its turn comes."""
        if not streaming:
            self._scene.redraw_deferred_numbers()
        elif self._numbers_throttle.ready():
            self._numbers_throttle.ran()
            self._scene.redraw_deferred_numbers(self._numbers_group)
            self._numbers_group = (self._numbers_group + 1) % NUMBER_GROUPS

    def _dead_masks(self, streaming: bool) -> list:
        throttle = self._dead_throttle
        if self._dead is None or not streaming or throttle.ready():
            throttle.ran()
            self._dead = dead_masks(self.session)
            # A big dataset makes the forward pass behind the marks costly: then refresh
            # them so that it takes at most DEAD_MARKS_SHARE of the time.
            throttle.interval_ms = max(DEAD_REFRESH_MS, throttle.elapsed_ms() / DEAD_MARKS_SHARE)
        return self._dead
