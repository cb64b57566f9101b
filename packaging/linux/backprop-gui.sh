#!/bin/sh
# /usr/bin/backprop-gui: starts the bundled application installed in /opt/backprop-gui.
exec /opt/backprop-gui/backprop-gui "$@"
