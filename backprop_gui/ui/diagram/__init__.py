"""The network diagram: `NetworkView` (a QGraphicsView) and the `Highlight` the step-through sets.

NetworkView is composed of parts, each owning its state and reached through its methods,
made and wired in `NetworkView.__init__` (public attributes of the view):

    scene           DiagramScene (scene.py): the items: neurons, edges, buttons, overlays;
                    its `labels` (SceneLabels, label_rows.py) own the text labels and their fit
    colouring       Colouring (colouring.py): colour mode, gradient source, tooltips, and why
                    the numbers cannot be shown; fills the items through values.recolour
    motion          Motion (motion.py): receives the training frames; the one owner of "draw
                    for speed" (it puts edges and neurons in motion) and of what follows a
                    stream a few times a second (legend numbers, dead marks, neuron numbers)
    neuron_maps     NeuronMaps (neuron_maps.py): each neuron of a two-input network as a map
                    of its activation over the input plane (View ▸ Neuron Maps)
    lighting        Lighting (lighting.py): the step-through's highlight and its animation, the
                    selected neuron's ring, the hovered and selected weight drawn wide
    legend_overlay  LegendOverlay (foreground.py): the legend in the bottom-left corner
    legend_toggle   LegendToggle (legend_toggle.py): the button that folds the legend away
    zoom            Zoom (fitting.py): fit to view, zoom steps, column spread, auto-fit
    pointer         Pointer (interaction.py): hover, click, pan, wheel, double click
    keys            Keys (keys.py): the keyboard (zoom, edit, walk, samples)
    editor          DiagramEditor (editing.py): the edits, each one session call
    view_actions    ViewActions (view_actions.py): the view's own context-menu entries
    focus_frame     FocusFrame (foreground.py): the frame while focus came by the keyboard
"""

from .highlight import Highlight
from .view import NetworkView

__all__ = ["Highlight", "NetworkView"]
