"""No colour carries meaning alone (issue 16): a weight's sign is also in the line's pattern
and in the numbers of the hover cards; a point's class is also in its marker's shape."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor

from backprop_gui.engine.selection import Selection
from backprop_gui.ui.diagram.edges import EdgeLayerItem, _pen, bucket_indices
from backprop_gui.ui.diagram.tooltips import edge_tooltip
from backprop_gui.ui.editors.class_colors import MARKERS, class_color, marker_path, marker_shape
from backprop_gui.ui.editors.points_canvas import POINT_RADIUS


def a_weight(session, negative: bool) -> Selection:
    """The first weight of W² with the sign asked for."""
    W = session.network.weights[1]
    j, i = np.argwhere(W < 0 if negative else W > 0)[0]
    return Selection.weight(2, int(j), int(i))


@pytest.mark.parametrize("wide", [False, True])
@pytest.mark.parametrize("opaque", [False, True])
def test_a_negative_value_is_dashed_and_a_positive_or_zero_one_solid(wide, opaque):
    values = np.array([-0.9, -0.01, 0.01, 0.9, 0.0])
    styles = [_pen(int(b), wide, opaque, 0xFFFFFF).style() for b in bucket_indices(values, 1.0)]
    assert styles == [Qt.PenStyle.CustomDashLine] * 2 + [Qt.PenStyle.SolidLine] * 3


def test_the_diagram_draws_its_negative_weights_dashed(main_window):
    session = main_window.session
    layer = next(item for item in main_window.view.scene().items()
                 if isinstance(item, EdgeLayerItem) and item.l == 1)     # W²
    for negative, style in ((True, Qt.PenStyle.CustomDashLine), (False, Qt.PenStyle.SolidLine)):
        w = a_weight(session, negative)
        assert layer.pen_for(layer.bucket_of(w.j, w.i)).style() == style


def test_the_edge_hover_card_gives_the_signed_weight(session):
    w = a_weight(session, negative=True)
    value = session.network.weights[1][w.j, w.i]
    card = edge_tooltip(session, w)
    assert f"−{abs(value):.3g}" in card


def test_the_legend_says_what_the_dashes_mean(main_window):
    from backprop_gui.ui.diagram.legend import ColorBar

    for mode in ("weights", "gradients"):
        main_window.set_color_mode(mode)
        if mode == "gradients":
            main_window.stepper.last()        # the backward pass computed: its bars are shown
        edge_bars = [e.title for e in main_window.view.legend().entries
                     if isinstance(e, ColorBar) and e.title.startswith("edge colour")]
        assert len(edge_bars) == 1 and "dashed if < 0" in edge_bars[0], (mode, edge_bars)
    main_window.set_color_mode("weights")
    short = [e.short for e in main_window.view.legend().entries
             if isinstance(e, ColorBar) and e.title.startswith("edge colour")]
    assert short == ["weight w, dashed < 0"]         # the title in a narrow view says it too


def test_every_class_has_its_own_marker_shape():
    assert len(set(MARKERS)) == len(MARKERS) == 8
    assert [marker_shape(k) for k in range(3)] == ["circle", "square", "triangle"]
    r = 10.0
    corner = QPointF(0.8 * r, 0.8 * r)        # inside the square, outside the circle
    assert not marker_path(0, r).contains(corner)
    assert marker_path(1, r).contains(corner)


def class_pixel_reach(image, centre: QPointF, colour: QColor, scale: float) -> float:
    """How far from `centre` (in widget pixels) the pixels of `colour` reach around it."""
    reach = 0.0
    cx, cy = centre.x() * scale, centre.y() * scale
    span = int(2 * POINT_RADIUS * scale)
    for px in range(int(cx) - span, int(cx) + span + 1):
        for py in range(int(cy) - span, int(cy) + span + 1):
            seen = QColor(image.pixel(px, py))
            if max(abs(seen.red() - colour.red()), abs(seen.green() - colour.green()),
                   abs(seen.blue() - colour.blue())) < 24:
                reach = max(reach, float(np.hypot(px + 0.5 - cx, py + 0.5 - cy)) / scale)
    return reach


def test_the_points_canvas_draws_each_class_with_its_marker(qtbot, session):
    """XOR's four points: class "0" at (0, 0) and (1, 1) round, class "1" at (0, 1) and (1, 0)
    square. Drawn four times enlarged, a circle's colour stays within its radius, a square's
    reaches into its corners."""
    from PySide6.QtGui import QImage, QPainter

    from backprop_gui.ui.editors.points_editor import PointsEditor

    session.load_builtin_dataset("xor")
    editor = PointsEditor(session)
    qtbot.addWidget(editor)
    editor.resize(360, 400)
    editor.show()
    qtbot.waitExposed(editor)
    canvas = editor.canvas
    scale = 4
    image = QImage(canvas.size() * scale, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.scale(scale, scale)
    canvas.render(painter, QPoint(0, 0))
    painter.end()
    ds = session.dataset
    reach = {}
    for (x, y), label in zip(ds.inputs, ds.labels):
        centre = canvas.data_to_widget(float(x), float(y))
        reach[(float(x), float(y))] = class_pixel_reach(
            image, centre, class_color(int(label), ds.n_classes), scale)
    r = POINT_RADIUS
    assert reach[(0.0, 0.0)] < 0.9 * r and reach[(1.0, 1.0)] < 0.9 * r       # circles
    assert reach[(0.0, 1.0)] > 0.95 * r and reach[(1.0, 0.0)] > 0.95 * r       # squares


# ----- the colour maps stay readable with the common colour-vision deficiencies ---------------

# Viénot, Brettel & Mollon (1999) for protanopia and deuteranopia, Machado, Oliveira & Fernandes
# (2009, severity 1) for tritanopia: what a dichromat sees, as a matrix on linear RGB.
DICHROMATS = {
    "protanopia": [[0.11238, 0.88762, 0.0], [0.11238, 0.88762, 0.0], [0.00401, -0.00401, 1.0]],
    "deuteranopia": [[0.29275, 0.70725, 0.0], [0.29275, 0.70725, 0.0], [-0.02234, 0.02234, 1.0]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def lab_as_seen(rgb: np.ndarray, matrix=None) -> np.ndarray:
    """CIE L*a*b* (D65) of sRGB colours (…, 3) uint8, as a dichromat sees them."""
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    if matrix is not None:
        linear = np.clip(linear @ np.asarray(matrix).T, 0.0, 1.0)
    to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                       [0.0193, 0.1192, 0.9505]])
    xyz = linear @ to_xyz.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)


def test_the_maps_are_rdbu_and_viridis():
    from backprop_gui.ui.common.colors import DIVERGING_LUT, SEQUENTIAL_LUT

    # ColorBrewer RdBu's ends and middle; viridis's ends.
    assert DIVERGING_LUT[0].tolist() == [5, 48, 97]
    assert DIVERGING_LUT[-1].tolist() == [103, 0, 31]
    assert np.abs(DIVERGING_LUT[127:129].astype(int) - 247).max() <= 3    # near-white zero
    assert SEQUENTIAL_LUT[0].tolist() == [68, 1, 84]
    assert SEQUENTIAL_LUT[-1].tolist() == [253, 231, 37]


@pytest.mark.parametrize("who", list(DICHROMATS))
def test_the_diverging_map_keeps_negative_and_positive_apart(who):
    """Strong and half-strength values of either sign stay at least ΔE 20 apart (a red–green
    map's ends are ΔE ≈ 5 apart for deuteranopia)."""
    from backprop_gui.ui.common.colors import DIVERGING_LUT

    lab = lab_as_seen(DIVERGING_LUT, DICHROMATS[who])
    for negative, positive in ((0, 255), (64, 191)):
        assert np.linalg.norm(lab[negative] - lab[positive]) > 20, (who, negative, positive)
    # Lighter towards zero on both sides, as every viewer sees: the size reads in greys too.
    lightness = lab_as_seen(DIVERGING_LUT)[:, 0]
    assert np.all(np.diff(lightness[:128]) >= -0.5) and np.all(np.diff(lightness[128:]) <= 0.5)


@pytest.mark.parametrize("who", list(DICHROMATS))
def test_the_sequential_map_stays_ordered(who):
    """A quarter of the scale apart is at least ΔE 15 apart, and lightness only rises."""
    from backprop_gui.ui.common.colors import SEQUENTIAL_LUT

    lab = lab_as_seen(SEQUENTIAL_LUT, DICHROMATS[who])
    assert np.linalg.norm(lab[64:] - lab[:-64], axis=1).min() > 15, who
    assert np.all(np.diff(lab_as_seen(SEQUENTIAL_LUT)[:, 0]) >= -0.5)


def test_the_diagram_uses_the_diverging_map_for_weights_and_viridis_for_activations(main_window):
    from backprop_gui.ui.common.colors import DIVERGING_LUT, SEQUENTIAL_LUT
    from backprop_gui.ui.diagram.legend import ColorBar

    bars = {e.title.split(":")[0]: e.lut for e in main_window.view.legend().entries
            if isinstance(e, ColorBar)}
    assert bars["edge colour"] is DIVERGING_LUT
    assert bars["neuron colour"] is SEQUENTIAL_LUT
