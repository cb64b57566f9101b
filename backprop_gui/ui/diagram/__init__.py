"""The network diagram: `NetworkView` (a QGraphicsView) and the `Highlight` the step-through sets."""

from .highlight import Highlight
from .view import NetworkView

__all__ = ["Highlight", "NetworkView"]
