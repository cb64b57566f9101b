"""Backprop GUI: a desktop application that teaches backpropagation."""

# The one version number: the build (pyproject.toml's dynamic version), About, --version
# and the installers' names all read it from here.
__version__ = "0.1.0"

__all__ = ["__version__"]
