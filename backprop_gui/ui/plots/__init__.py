"""Training plots: loss and accuracy, gradient and weight heatmaps, gradient size per layer,
first-layer weights as images, a history slider and export.

Importing this package does not load pyqtgraph; `ui/training/install.py` builds the panel
(and imports pyqtgraph) the first time the Plots dock is shown.
"""
