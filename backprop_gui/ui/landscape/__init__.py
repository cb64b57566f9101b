"""The Landscape panel: gradient descent on toy functions f(x, y) and the real network's
loss around its current parameters.

`install_landscape(window, session, clock)` docks it as "Landscape". Importing this package
does not load pyqtgraph: the dock holds a LandscapeHost that builds the LandscapePanel when
it is first shown or asked for (`host.panel()`), and passes the panel's public API on.
"""

from .install import LandscapeHost, install_landscape

__all__ = ["LandscapeHost", "install_landscape"]
