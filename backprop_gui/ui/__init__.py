"""Widgets: the main window (window/), its panels (editors/, plots/, diagram/, stepper/,
dialogs/), training controls (training/) and shared helpers (common/).
The folders are layered: docs/ARCHITECTURE.md and the ui-layers contract in pyproject.toml."""
