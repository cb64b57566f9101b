"""Built-in datasets: XOR, 4x4 digit images, 2-D toy sets and two one-input regression tables
(line, bump), each deterministic by seed, and the network suggested for each.

The image glyphs are drawn as string art in engine/glyphs.py. Every random choice comes
from `numpy.random.default_rng(seed)`.
"""

from __future__ import annotations

import inspect
from typing import Callable

import numpy as np

from .dataset import Dataset
from .glyphs import DIGIT_GLYPHS, IMAGE_SHAPE, ZERO_ONE_GLYPHS, parse_glyph
from .network import Network
from .project import Project, TrainingConfig

Array = np.ndarray

# Every 2-D toy set keeps its points inside this square (noise that would push a point
# further is clipped to the edge), so plots can use fixed axes and inputs stay small.
POINTS_RANGE = (-1.0, 1.0)

BUILTIN_DATASETS: dict[str, str] = {
    "xor": "XOR (4 samples)",
    "digits01": "Digits 0 and 1 (4×4 images)",
    "digits": "Digits 0–9 (4×4 images)",
    "blobs": "Two blobs (2-D points)",
    "circle": "Disc and ring (2-D points)",
    "moons": "Two moons (2-D points)",
    "spiral": "Two-arm spiral (2-D points)",
    "line": "Line y = 2x − 1 (5 points)",
    "bump": "Bump (7 points)",
}

DEFAULT_DATASET = "digits01"   # what a new project opens with


def add_noise(images: Array, n_flips: int, rng: np.random.Generator) -> Array:
    """A copy of binary `images` (N, P) or (P,) with exactly `n_flips` distinct pixels
    flipped (ink ↔ paper) in each image, the pixels chosen by `rng`."""
    arr = np.array(images, dtype=np.float64)
    flat = arr.reshape(1, -1) if arr.ndim == 1 else arr.reshape(arr.shape[0], -1)
    n, p = flat.shape
    if not 0 <= n_flips <= p:
        raise ValueError(f"n_flips must lie in 0 … {p}, got {n_flips}")
    # The first n_flips of a random permutation per row: distinct pixels, one draw.
    cols = np.argsort(rng.random((n, p)), axis=1)[:, :n_flips]
    rows = np.repeat(np.arange(n), n_flips)
    flat[rows, cols.ravel()] = 1.0 - flat[rows, cols.ravel()]
    return flat.reshape(arr.shape)


def _image_dataset(name: str, glyphs: dict[str, list[str]], description: str, seed: int,
                   noisy_per_class: int, n_flips: int) -> Dataset:
    """Clean glyphs of every class first, then `noisy_per_class` noisy copies per class
    cycling through that class's variants."""
    if noisy_per_class < 0:
        raise ValueError(f"noisy_per_class must be at least 0, got {noisy_per_class}")
    class_names = list(glyphs)
    clean, clean_labels = [], []
    for label, arts in enumerate(glyphs.values()):
        for art in arts:
            clean.append(parse_glyph(art).ravel())
            clean_labels.append(label)
    clean_arr = np.array(clean)
    sources: list[int] = []  # index of the clean glyph each noisy copy was made from
    for label in range(len(class_names)):
        variants = [i for i, l in enumerate(clean_labels) if l == label]
        sources += [variants[k % len(variants)] for k in range(noisy_per_class)]
    rng = np.random.default_rng(seed)
    noisy = add_noise(clean_arr[sources], n_flips, rng) if sources else np.empty((0, clean_arr.shape[1]))
    inputs = np.vstack([clean_arr, noisy])
    labels = clean_labels + [clean_labels[i] for i in sources]
    return Dataset(
        name=name, title=BUILTIN_DATASETS[name], inputs=inputs, labels=labels,
        class_names=class_names, kind="image", image_shape=IMAGE_SHAPE,
        description=description, seed=seed,
        extra={"n_clean": len(clean), "noisy_sources": sources, "n_flips": n_flips})


# ----- builders ----------------------------------------------------------------------------

def make_xor(seed: int = 0) -> Dataset:
    """The four XOR samples; nothing random, so the seed is only recorded."""
    return Dataset(
        name="xor", title=BUILTIN_DATASETS["xor"],
        inputs=[[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], labels=[0, 1, 1, 0],
        class_names=["0", "1"], kind="table", seed=seed,
        description=(
            "Exclusive or: the output is 1 when exactly one of the two inputs is 1. "
            "No single straight line separates the 1s from the 0s, so a network needs a "
            "hidden layer to learn it. With only four samples every number stays small "
            "enough to follow by hand."))


def _regression_table(name: str, x: list[float], y: list[float], seed: int,
                      description: str) -> Dataset:
    """One input x and one target value y per sample (no classes: the label is 0 of "y")."""
    return Dataset(name=name, title=BUILTIN_DATASETS[name], inputs=[[v] for v in x],
                   labels=[0] * len(x), class_names=["y"], kind="table", seed=seed,
                   description=description, values=[[v] for v in y])


def make_line(seed: int = 0) -> Dataset:
    """Five points on y = 2x − 1 for x = 0, 0.25, …, 1; nothing random."""
    x = [0.0, 0.25, 0.5, 0.75, 1.0]
    return _regression_table(
        "line", x, [2.0 * v - 1.0 for v in x], seed,
        "Five points on the line y = 2x − 1, one input and one number to predict. A chain of "
        "one neuron per layer (1-1-1) with a linear output can learn it, and every number "
        "of its forward and backward pass can be followed by hand.")


def make_bump(seed: int = 0) -> Dataset:
    """Seven points of the bump y = e^(−2x²) for x = −1.5 … 1.5; nothing random."""
    x = [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5]
    return _regression_table(
        "bump", x, [float(np.exp(-2.0 * v * v)) for v in x], seed,
        "Seven points of a bump, y = e^(−2x²): up, then down again. One hidden sigmoid "
        "neuron can only make a single step, so a 1-1-1 network cannot fit it; two hidden "
        "neurons (a step up and a step down) can.")


def make_digits01(seed: int = 0, noisy_per_class: int = 8, n_flips: int = 1) -> Dataset:
    """Hand-drawn 4x4 zeros and ones plus noisy copies with `n_flips` pixels flipped."""
    return _image_dataset(
        "digits01", ZERO_ONE_GLYPHS,
        "Tiny 4×4 black-and-white pictures of the digits 0 and 1, a few hand-drawn "
        "shapes of each plus copies with a pixel flipped at random. Each pixel is one "
        "input (1 = ink, 0 = paper), so you can see which pixels the first layer learns "
        "to weigh, and test how well it copes with noise.",
        seed, noisy_per_class, n_flips)


def make_digits(seed: int = 0, noisy_per_class: int = 4, n_flips: int = 1) -> Dataset:
    """All ten digits as 4x4 glyphs plus noisy copies with `n_flips` pixels flipped."""
    return _image_dataset(
        "digits", DIGIT_GLYPHS,
        "The ten digits 0–9 drawn in a 4×4 grid, with copies that have a pixel flipped "
        "at random. Ten classes need a softmax output with ten neurons and cross-entropy "
        "loss. Some digits look alike at this size, so watch which ones the network confuses.",
        seed, noisy_per_class, n_flips)


def _points_start(seed: int, n_samples: int, noise: float,
                  test_fraction: float) -> tuple[np.random.Generator, int, int]:
    """A 2-D set's options checked; its generator and the sizes of its two classes."""
    if n_samples < 4:
        raise ValueError(f"n_samples must be at least 4, got {n_samples}")
    if not noise >= 0.0:
        raise ValueError(f"noise must be 0 or more, got {noise}")
    if not 0.0 <= test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie in [0, 1), got {test_fraction}")
    return np.random.default_rng(seed), n_samples // 2, n_samples - n_samples // 2


def _points_dataset(name: str, description: str, seed: int, rng: np.random.Generator,
                    per_class: list[Array], test_fraction: float, noise: float) -> Dataset:
    """Clip to POINTS_RANGE, split each class by `test_fraction`, shuffle both parts."""
    lo, hi = POINTS_RANGE
    train_parts, test_parts = [], []
    for label, pts in enumerate(per_class):
        pts = np.clip(pts, lo, hi)
        n_test = int(round(len(pts) * test_fraction))
        n_test = min(n_test, len(pts) - 1)  # every class keeps a training sample
        order = rng.permutation(len(pts))
        test_parts.append((pts[order[:n_test]], np.full(n_test, label)))
        train_parts.append((pts[order[n_test:]], np.full(len(pts) - n_test, label)))

    def join(parts: list[tuple[Array, Array]]) -> tuple[Array, Array]:
        X = np.vstack([p for p, _ in parts])
        y = np.concatenate([l for _, l in parts])
        order = rng.permutation(len(y))
        return X[order], y[order]

    X, y = join(train_parts)
    X_test, y_test = join(test_parts)
    has_test = len(y_test) > 0
    return Dataset(
        name=name, title=BUILTIN_DATASETS[name], inputs=X, labels=y,
        class_names=["A", "B"], kind="points", description=description, seed=seed,
        test_inputs=X_test if has_test else None, test_labels=y_test if has_test else None,
        extra={"noise": float(noise), "test_fraction": float(test_fraction)})


def make_blobs(seed: int = 0, n_samples: int = 200, noise: float = 0.2,
               test_fraction: float = 0.25) -> Dataset:
    """Two round Gaussian blobs around (−0.4, −0.4) and (0.4, 0.4); `noise` is their spread."""
    rng, n0, n1 = _points_start(seed, n_samples, noise, test_fraction)
    a = rng.normal([-0.4, -0.4], noise, (n0, 2))
    b = rng.normal([0.4, 0.4], noise, (n1, 2))
    return _points_dataset(
        "blobs",
        "Two clouds of points, one per class. A single straight line separates them, so "
        "even a network without hidden layers can learn it; raise the noise to make the "
        "clouds overlap and see what happens to the loss.",
        seed, rng, [a, b], test_fraction, noise)


def make_circle(seed: int = 0, n_samples: int = 200, noise: float = 0.05,
                test_fraction: float = 0.25) -> Dataset:
    """A disc of radius 0.5 (class A) inside a ring from 0.65 to 0.9 (class B), plus noise."""
    rng, n0, n1 = _points_start(seed, n_samples, noise, test_fraction)

    def annulus(n: int, r_in: float, r_out: float) -> Array:
        # Uniform over the area: r² is uniform between r_in² and r_out².
        r = np.sqrt(rng.uniform(r_in ** 2, r_out ** 2, n))
        t = rng.uniform(0.0, 2.0 * np.pi, n)
        return np.column_stack([r * np.cos(t), r * np.sin(t)]) + rng.normal(0.0, noise, (n, 2))

    return _points_dataset(
        "circle",
        "Points inside a disc belong to one class and points on a ring around it to the "
        "other. No straight line separates them: the hidden layers must bend the boundary "
        "into a closed curve.",
        seed, rng, [annulus(n0, 0.0, 0.5), annulus(n1, 0.65, 0.9)], test_fraction, noise)


def make_moons(seed: int = 0, n_samples: int = 200, noise: float = 0.1,
               test_fraction: float = 0.25) -> Dataset:
    """Two interleaving half-moons, scaled to x ∈ [−0.86, 0.86], y ∈ [−0.43, 0.43], plus noise."""
    rng, n0, n1 = _points_start(seed, n_samples, noise, test_fraction)
    t0 = rng.uniform(0.0, np.pi, n0)
    t1 = rng.uniform(0.0, np.pi, n1)
    # The classic moons span x ∈ [−1, 2], y ∈ [−0.5, 1]; centre them and shrink them so
    # the default noise rarely reaches the edge of POINTS_RANGE.
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    centre = np.array([0.5, 0.25])
    upper = (upper - centre) / 1.75 + rng.normal(0.0, noise, (n0, 2))
    lower = (lower - centre) / 1.75 + rng.normal(0.0, noise, (n1, 2))
    return _points_dataset(
        "moons",
        "Two crescent moons that hook into each other. The boundary between them must "
        "curve in an S-shape, a classic test of whether a small network can learn a "
        "non-linear decision boundary.",
        seed, rng, [upper, lower], test_fraction, noise)


def make_spiral(seed: int = 0, n_samples: int = 200, noise: float = 0.04,
                test_fraction: float = 0.25, turns: float = 1.25) -> Dataset:
    """Two arms winding `turns` times around the origin, radius up to 0.95, plus noise."""
    rng, n0, n1 = _points_start(seed, n_samples, noise, test_fraction)

    def arm(n: int, phase: float) -> Array:
        t = rng.uniform(0.08, 1.0, n)  # skip the centre, where the arms meet
        angle = 2.0 * np.pi * turns * t + phase
        r = 0.95 * t
        return np.column_stack([r * np.cos(angle), r * np.sin(angle)]) + rng.normal(0.0, noise, (n, 2))

    return _points_dataset(
        "spiral",
        "Two spiral arms that wind around each other. It is the hardest of the toy sets: "
        "the network needs enough hidden neurons and patience to carve a boundary that "
        "winds between the arms.",
        seed, rng, [arm(n0, 0.0), arm(n1, np.pi)], test_fraction, noise)


_BUILDERS: dict[str, Callable[..., Dataset]] = {
    "xor": make_xor,
    "digits01": make_digits01,
    "digits": make_digits,
    "blobs": make_blobs,
    "circle": make_circle,
    "moons": make_moons,
    "spiral": make_spiral,
    "line": make_line,
    "bump": make_bump,
}


def dataset_options(name: str) -> dict[str, object]:
    """The options `load_builtin(name, …)` accepts, with their defaults."""
    builder = _builder(name)
    return {p.name: p.default for p in inspect.signature(builder).parameters.values()
            if p.name != "seed"}


def _builder(name: str) -> Callable[..., Dataset]:
    try:
        return _BUILDERS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown dataset {name!r} (built-in: {', '.join(BUILTIN_DATASETS)})") from None


def load_builtin(name: str, seed: int = 0, **options: object) -> Dataset:
    """The built-in dataset `name`, generated from `seed`; ValueError for unknown names/options."""
    builder = _builder(name)
    allowed = dataset_options(name)
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        known = ", ".join(allowed) or "none"
        raise ValueError(f"dataset {name!r} has no option {', '.join(unknown)} (options: {known})")
    return builder(seed=seed, **options)


def default_network_for(dataset: Dataset) -> tuple[list[int], list[str], str]:
    """A sensible starting architecture for `dataset`: (sizes, activations, loss)."""
    n_in, n_classes = dataset.n_inputs, dataset.n_classes
    if dataset.is_regression:
        # Numbers to predict: a linear output (any value). The bump needs two hidden steps.
        if dataset.name == "bump":
            return [n_in, 2, dataset.n_targets], ["sigmoid", "linear"], "mse"
        return [n_in, 1, dataset.n_targets], ["sigmoid", "linear"], "mse"
    if dataset.name == "xor":
        # The textbook XOR network: two sigmoid hidden units, one sigmoid output, MSE.
        return [n_in, 2, 1], ["sigmoid", "sigmoid"], "mse"
    if n_classes < 2:
        return [n_in, 4, 1], ["sigmoid", "sigmoid"], "mse"
    if dataset.kind == "image":
        if n_classes <= 2:
            return [n_in, 6, 6, n_classes], ["relu", "relu", "softmax"], "cross_entropy"
        return [n_in, 12, n_classes], ["relu", "softmax"], "cross_entropy"
    if dataset.kind == "points":
        return [n_in, 8, 8, n_classes], ["tanh", "tanh", "softmax"], "cross_entropy"
    return [n_in, 8, n_classes], ["relu", "softmax"], "cross_entropy"


def default_network(dataset: Dataset, seed: int = 0, init: str = "he") -> Network:
    """The network `default_network_for(dataset)` suggests, its weights drawn from `seed`."""
    sizes, activations, loss = default_network_for(dataset)
    return Network.build(sizes, activations, loss, seed=seed, init=init)


def default_project(dataset_name: str = DEFAULT_DATASET, seed: int = 0) -> Project:
    """A built-in dataset with the network suggested for it, ready to step through."""
    dataset = load_builtin(dataset_name, seed=seed)
    config = TrainingConfig(seed=seed)
    return Project(network=default_network(dataset, seed, config.init), dataset=dataset,
                   training=config)
