"""The diagram in views of every size: labels side by side never overlap, the step caption
stays clear of the legend and the weight labels, and crowded views stay readable."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF

from backprop_gui.engine.dataset import Dataset
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import Project
from backprop_gui.session.session import Session
from backprop_gui.ui.diagram import Highlight, NetworkView
from backprop_gui.ui.diagram.legend import legend_size


def make_view(qtbot, session, width: int, height: int) -> NetworkView:
    view = NetworkView(session)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    view.fit_to_view()
    return view


def screen_rect(view: NetworkView, item) -> QRectF:
    return QRectF(view.mapFromScene(item.sceneBoundingRect()).boundingRect())


def overlaps(rects: list[QRectF]) -> list[tuple[int, int]]:
    return [(a, b) for (a, ra), (b, rb) in itertools.combinations(enumerate(rects), 2)
            if ra.intersects(rb)]


def legend_rect(view: NetworkView) -> QRectF:
    vp = view.viewport().rect()
    size = legend_size(view.legend(), vp.width() - 16)   # as the view draws it
    return QRectF(QPointF(7.0, vp.height() - size.height() - 7.0), size)


def caption_rect(view: NetworkView) -> QRectF:
    caption = view.scene().caption
    top = view.mapFromScene(caption.pos())
    box = caption.boundingRect()
    return box.translated(float(top.x()), float(top.y()))


def big_session() -> Session:
    rng = np.random.default_rng(0)
    inputs = (rng.random((20, 784)) > 0.8).astype(float)
    ds = Dataset(name="big", title="28×28 images", inputs=inputs, labels=np.arange(20) % 10,
                 class_names=[str(i) for i in range(10)], kind="image", image_shape=(28, 28))
    net = Network.build([784, 128, 64, 10], ["relu", "relu", "softmax"], "cross_entropy", seed=0)
    return Session(Project(net, ds))


@pytest.mark.parametrize("width,height", [(400, 330), (330, 300), (520, 420), (640, 480),
                                          (900, 600), (1280, 800)])
def test_layer_headings_never_overlap(qtbot, session, width, height):
    view = make_view(qtbot, session, width, height)
    scene = view.scene()
    for row in (scene.labels.headers, scene.labels.subheaders, scene.labels.gap_labels):
        rects = [screen_rect(view, item) for item in row if item.text()]
        assert overlaps(rects) == [], [item.text() for item in row]
    # The hover button that inserts a layer between two columns has room between headings
    # (in all but the smallest view, where the headings have shrunk as far as they may).
    from backprop_gui.ui.diagram.buttons import BUTTON_SIZE

    headers = [screen_rect(view, item) for item in scene.labels.headers]
    for button in scene.gap_buttons.values() if width >= 400 else []:
        c = QPointF(view.mapFromScene(button.pos()))
        box = QRectF(c.x() - BUTTON_SIZE / 2, c.y() - BUTTON_SIZE / 2, BUTTON_SIZE, BUTTON_SIZE)
        assert not any(box.intersects(h) for h in headers)
    # Readable: a heading line is at least 9 pixels high on screen.
    line_h = screen_rect(view, scene.labels.headers[1]).height() / (scene.labels.headers[1].text().count("\n") + 1)
    assert line_h >= 9.0
    # And everything the fit shows lies inside the view.
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(scene.content_rect())


def test_headings_of_a_deep_network_in_a_small_view(qtbot, session):
    session.replace_network("deeper", Network.build([16, 6, 6, 6, 6, 2],
                                                    ["relu"] * 4 + ["softmax"], "cross_entropy"))
    view = make_view(qtbot, session, 420, 340)
    rects = [screen_rect(view, item) for item in view.scene().labels.headers]
    assert overlaps(rects) == []


def test_narrow_view_spreads_columns_and_shortens_side_labels(qtbot, session):
    """At 400 px the network is taller than wide: the columns spread out to use the width,
    the output labels keep just the class and ŷ, and the legend stays on one row."""
    view = make_view(qtbot, session, 400, 330)
    scene = view.scene()
    assert scene.labels.compact
    xs = [g.x for g in scene.layout.layers]
    assert xs[1] - xs[0] > 300          # wider than the standard gap (220 + radii)
    texts = [item.text() for item in scene.labels.output_labels]
    assert texts[0].startswith("“0”") and "y =" not in texts[0]
    assert legend_rect(view).height() < 70
    # A wide view takes the full labels back.
    view.resize(1200, 800)
    view.fit_to_view()
    assert not scene.labels.compact
    assert "y = 1" in scene.labels.output_labels[0].text()


@pytest.mark.parametrize("datasets", [["digits"], ["xor", "digits"], ["moons", "digits"]])
def test_step_caption_clears_the_legend_and_weight_labels(qtbot, session, datasets):
    view = make_view(qtbot, session, 614, 483)
    for name in datasets:     # the last one has a hidden column as tall as the input
        session.load_builtin_dataset(name)
    qtbot.wait(10)
    view.set_highlight(Highlight(1, {0: None, 1: None}, [1], "backward", "∂L/∂W¹"))
    caption = caption_rect(view)
    assert view.scene().caption.isVisible()
    assert not caption.intersects(legend_rect(view))
    for label in view.scene().labels.gap_labels:
        assert not caption.intersects(screen_rect(view, label)), label.text()
    assert QRectF(view.viewport().rect()).contains(caption)


def test_weight_labels_of_a_big_network_do_not_overlap(qtbot):
    session = big_session()
    view = make_view(qtbot, session, 620, 480)
    labels = view.scene().labels.gap_labels
    assert "1,500 strongest" in labels[0].text()
    rects = [screen_rect(view, item) for item in labels]
    assert overlaps(rects) == [], [item.text() for item in labels]
    view.set_highlight(Highlight(2, {1: None, 2: None}, [2], "backward", "∂L/∂W²"))
    caption = caption_rect(view)
    assert not any(caption.intersects(r) for r in rects)
    assert not caption.intersects(legend_rect(view))


def test_compact_legend_tick_labels_do_not_touch(qapp):
    from PySide6.QtGui import QFontMetricsF

    from backprop_gui.ui.diagram.legend import TINY, ColorBar, tick_marks
    from backprop_gui.ui.diagram.style import font

    metrics = QFontMetricsF(font(TINY.font_size))
    lut = np.zeros((256, 3), dtype=np.uint8)
    for low, high in ((-0.416, 0.723), (-1.75, 1.75), (0.0, 1.48)):
        marks = [(x, t) for x, t in tick_marks(ColorBar("a", lut, low, high), 0.0, TINY.bar_w, metrics) if t]
        spans = [(x - metrics.horizontalAdvance(t) / 2, x + metrics.horizontalAdvance(t) / 2) for x, t in marks]
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:])), marks
        assert marks[0][1] and marks[-1][1]      # the ends are always labelled


def test_big_highlight_animates_only_the_strongest_edges(qtbot):
    """600 lit edges all drawn, but the costly marching dots only on the strongest 120: the
    20 fps animation no longer keeps the event loop busy for a 784-128-64-10 network."""
    view = make_view(qtbot, big_session(), 620, 480)
    view.set_highlight(Highlight(1, {0: None, 1: None}, [1], "forward", "z¹"))
    item = view.scene().highlight
    assert item.active and len(item._lines) == 600
    assert item.dotted_lines == item.MAX_DOT_LINES == 120
    assert item._dotted == item._lines[-120:]          # the strongest come last
    small = make_view(qtbot, Session(), 620, 480)
    small.set_highlight(Highlight(1, {0: None, 1: None}, [1], "forward", "z¹"))
    assert small.scene().highlight.dotted_lines == 96   # 16 × 6: every edge of a small net


def test_export_does_not_depend_on_the_views_zoom(qtbot, session, tmp_path):
    """A small view enlarges and shortens its labels to stay readable; an exported image
    shows them at their own size and in full, and the view is left as it was."""
    from PySide6.QtGui import QImage

    heights = []
    for size in ((400, 330), (1280, 800)):
        view = make_view(qtbot, session, *size)
        scene = view.scene()
        before = (scene.labels.label_scale, scene.labels.compact, view.zoom_level())
        view.set_highlight(Highlight(1, {0: None, 1: None}, [1], "forward", "z¹"))
        path = tmp_path / f"net{size[0]}.png"
        view.export_png(path, scale=1.0)
        heights.append(QImage(str(path)).height())
        assert (scene.labels.label_scale, scene.labels.compact, view.zoom_level()) == before
        assert scene.caption.isVisible()
    assert abs(heights[0] - heights[1]) <= 2, heights


def test_resizing_zooms_at_once_and_respreads_the_columns_when_it_pauses(qtbot, session):
    """A rebuild per resize event made dragging the window edge stutter (~60 ms each)."""
    view = make_view(qtbot, session, 1280, 800)
    rebuilds = []
    scene = view.scene()
    original = scene.build
    scene.build = lambda *args, **kw: (rebuilds.append(1), original(*args, **kw))
    zoom = view.zoom_level()
    view.resize(400, 330)
    assert rebuilds == [] and view.zoom_level() < zoom      # zoomed, not rebuilt
    qtbot.waitUntil(lambda: view.scene().labels.compact, timeout=2000)
    rects = [screen_rect(view, item) for item in view.scene().labels.headers]
    assert overlaps(rects) == []
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.scene().content_rect())


def test_legend_keeps_one_row_in_a_very_narrow_view(qtbot, session):
    """At 800×520 the diagram is ~240 px wide: the two-row legend took half its height.
    The smallest legend keeps the colour bars and leaves out the line-width key."""
    view = make_view(qtbot, session, 240, 280)
    spec = view.legend()
    assert legend_rect(view).height() < 70
    assert legend_size(spec, 1000).height() < 70          # a wide view keeps everything
    from backprop_gui.ui.diagram.legend import _layout

    style, placed, _ = _layout(spec, 240 - 16)
    kinds = [type(entry).__name__ for entry, _, _ in placed]
    assert kinds.count("ColorBar") == 2 and "WidthKey" not in kinds


def test_labels_that_grow_with_new_numbers_stay_in_view(qtbot, session):
    """After training, ŷ = 5.7×10⁻⁷ ran past the view's edge: probabilities now show fixed
    decimals, and any label that grows makes the view zoom out instead of cutting it off."""
    view = make_view(qtbot, session, 640, 480)
    session.set_bias(2, 1, -30.0)                  # the output "1" becomes ~1e-13
    view.legend()                                  # flush the pending recolour
    texts = [item.text() for item in view.scene().labels.output_labels]
    assert "ŷ = 1.00" in texts[0] and "ŷ = 0.00" in texts[1], texts
    assert view.content_fits()
    session.set_activation(3, "linear")            # unbounded outputs keep their exponent
    session.set_bias(2, 0, -123456.0)
    view.legend()
    assert "×10" in view.scene().labels.output_labels[0].text()
    assert view.content_fits()


def test_a_recolour_that_changes_no_label_text_refits_nothing(qtbot, session):
    """Recolouring runs every frame while training: the label fitting must not come with it."""
    view = make_view(qtbot, session, 640, 480)
    scene = view.scene()
    calls = []
    original = scene.labels._fit_row
    scene.labels._fit_row = lambda *args, **kw: (calls.append(1), original(*args, **kw))
    view._recolour()
    view._recolour()
    assert calls == []
    session.set_bias(2, 0, 3.0)          # new ŷ: the output labels and the loss change
    view._recolour()
    assert calls
