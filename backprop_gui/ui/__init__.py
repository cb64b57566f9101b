"""User interface: the main window, network diagram, pixel editor, stepper and plots."""
