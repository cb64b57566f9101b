"""`python -m backprop_gui`: the same as the `backprop-gui` command."""

from backprop_gui.app import main

raise SystemExit(main())
