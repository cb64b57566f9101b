"""Training in the window: `install_training` (install.py) adds the Training toolbar, the
Train menu and the Plots panel; the training settings dialog."""
