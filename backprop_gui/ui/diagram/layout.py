"""Where everything goes: neuron centres and column extents in scene units (pure NumPy).

Columns run left to right, each vertically centred on y = 0. Small layers get round neurons
at a comfortable spacing; big layers shrink the spacing so no column is taller than
`MAX_COLUMN_HEIGHT`. An image input can be drawn as its pixel grid instead of a column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_SPACING = 56.0          # centre-to-centre distance of neurons in a small layer
MAX_COLUMN_HEIGHT = 580.0   # taller layers squeeze their neurons closer
MAX_RADIUS = 17.0
GRID_SIDE = 420.0           # the widest an input pixel grid may get
MAX_PIXEL = 28.0            # side of one pixel square in the input grid
COLUMN_GAP = 220.0          # free space between two columns, where the edges run
MAX_COLUMN_GAP = 3.0 * COLUMN_GAP   # a view much wider than tall spreads the columns this far
# A neuron drawn as its map (ui/diagram/neuron_maps.py) is a square with half a side of this
# many radii: 0.44 of the spacing across (a circle: 0.34), leaving 0.12 between two maps.
MAP_GROWTH = 1.3


@dataclass
class LayerGeometry:
    """Neuron centres of one layer and the rectangle its column occupies."""

    index: int
    pos: np.ndarray          # (n, 2) centres
    radius: float            # circle radius, or half the side of a square
    square: bool             # pixels are squares, neurons circles
    grid: tuple[int, int] | None
    x: float                 # column centre
    half_width: float
    top: float
    bottom: float

    @property
    def n(self) -> int:
        return int(self.pos.shape[0])


@dataclass
class DiagramLayout:
    layers: list[LayerGeometry]
    top: float               # top of the tallest column
    bottom: float            # bottom of the tallest column

    def gap_x(self, l: int) -> float:
        """x of the middle of the gap between layer l − 1 and layer l (weights Wˡ)."""
        left, right = self.layers[l - 1], self.layers[l]
        return 0.5 * ((left.x + left.half_width) + (right.x - right.half_width))


def column_spacing(n: int) -> float:
    return min(MAX_SPACING, MAX_COLUMN_HEIGHT / max(n, 1))


def neuron_radius(n: int) -> float:
    return max(0.35, min(MAX_RADIUS, 0.34 * column_spacing(n)))


def _column(index: int, n: int, x: float, square: bool) -> LayerGeometry:
    spacing = column_spacing(n)
    ys = (np.arange(n) - (n - 1) / 2.0) * spacing
    pos = np.column_stack([np.full(n, x), ys])
    radius = neuron_radius(n) * (0.9 if square else 1.0)
    half_height = (n - 1) / 2.0 * spacing + radius
    return LayerGeometry(index, pos, radius, square, None, x, radius, -half_height, half_height)


def _grid(index: int, shape: tuple[int, int], x: float) -> LayerGeometry:
    rows, cols = shape
    side = min(MAX_PIXEL, GRID_SIDE / max(rows, cols))
    r, c = np.divmod(np.arange(rows * cols), cols)
    xs = x + (c - (cols - 1) / 2.0) * side
    ys = (r - (rows - 1) / 2.0) * side
    half_w, half_h = cols * side / 2.0, rows * side / 2.0
    return LayerGeometry(index, np.column_stack([xs, ys]), side / 2.0, True, (rows, cols),
                         x, half_w, -half_h, half_h)


def compute_layout(sizes: list[int], image_shape: tuple[int, int] | None = None,
                   input_grid: bool = False, column_gap: float = COLUMN_GAP) -> DiagramLayout:
    """Geometry of a network with layer `sizes`; the input is a pixel grid if asked and possible.
    `column_gap` is the free space between two columns (the view widens it to use its width)."""
    layers: list[LayerGeometry] = []
    x = 0.0
    for index, n in enumerate(sizes):
        is_image = index == 0 and image_shape is not None and int(np.prod(image_shape)) == n
        if index == 0 and is_image and input_grid:
            geom = _grid(0, image_shape, 0.0)
        else:
            geom = _column(index, n, 0.0, square=is_image)
        if layers:
            prev = layers[-1]
            x = prev.x + prev.half_width + column_gap + geom.half_width
            geom.pos[:, 0] += x
            geom.x = x
        layers.append(geom)
    top = min(g.top for g in layers)
    bottom = max(g.bottom for g in layers)
    return DiagramLayout(layers, top, bottom)
