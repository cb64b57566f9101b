"""Backprop GUI: a desktop application that teaches backpropagation."""

from importlib.metadata import PackageNotFoundError, version as _dist_version

try:
    __version__ = _dist_version("backprop-gui")
except PackageNotFoundError:  # a source tree that is not installed: say so, don't guess
    __version__ = "0+unknown"

__all__ = ["__version__"]
