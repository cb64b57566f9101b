"""MotionMixin: how the network view paces itself while training streams new values.

Training recolours the diagram up to 60 times a second. Some of what a recolour shows is
costly and cannot be read at that pace: the dead-ReLU marks (a forward pass over the whole
dataset), the legend's numbers, the check that labels still fit. While recolours come in a
stream these follow a few times a second, and once the stream stops one more recolour (the
settle timer) draws everything exactly. The scene meanwhile draws for speed (see
DiagramScene.set_streaming).
"""

from __future__ import annotations

from time import perf_counter

from PySide6.QtCore import QTimer

from .values import dead_masks

DEAD_REFRESH_MS = 400         # dead-ReLU marks while values stream in: this often at most
LEGEND_REFRESH_S = 0.25       # the legend's numbers (and neuron numbers) while training streams
STREAM_GAP_S = 0.1            # training recolours closer together than this are a stream
SETTLE_MS = 250               # after the last streamed recolour: draw everything exactly


class MotionMixin:
    """For NetworkView: needs `session`, `_scene` and a `_recolour` method."""

    def _init_motion(self) -> None:
        self._dead: list | None = None
        self._dead_time = -1.0
        self._dead_cost = 0.0
        self._last_recolour = -1.0
        self._paced_time = -1.0
        self._only_training = False   # every change since the last recolour was a training step
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_MS)
        self._settle_timer.timeout.connect(self._recolour)

    def _note_recolour(self) -> bool:
        """Whether this recolour is one of a stream of training frames; when the stream
        stops, one more recolour (the settle timer) draws everything exactly."""
        now = perf_counter()
        streaming = self._only_training and now - self._last_recolour < STREAM_GAP_S
        self._last_recolour = now
        self._only_training = True
        if streaming:
            self._settle_timer.start()
        else:
            self._settle_timer.stop()
        self._scene.set_streaming(streaming)
        return streaming

    def _paced(self, streaming: bool, now: float) -> bool:
        """Whether the few-times-a-second parts (legend numbers, label fit) are due now."""
        if not streaming or now - self._paced_time >= LEGEND_REFRESH_S:
            self._paced_time = now
            return True
        return False

    def _redraw_waiting_numbers(self, streaming: bool, now: float) -> None:
        """The numbers inside neurons, at about the legend's pace, a few neurons per frame."""
        self._scene.redraw_deferred_numbers(now if streaming else None, LEGEND_REFRESH_S)

    def _dead_masks(self, streaming: bool) -> list:
        now = perf_counter()
        # A big dataset makes the forward pass behind the marks costly: then refresh them
        # so that it takes at most ~2 % of the time while training streams.
        interval = max(DEAD_REFRESH_MS / 1000, 50 * self._dead_cost)
        if self._dead is None or not streaming or now - self._dead_time >= interval:
            self._dead = dead_masks(self.session)
            self._dead_time = perf_counter()
            self._dead_cost = self._dead_time - now
        return self._dead
