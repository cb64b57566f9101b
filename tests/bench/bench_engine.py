"""Benchmark: one full-batch training step of the engine's Trainer against a plain
tutorial-style NumPy loop (and PyTorch on the CPU when it is installed).

Run `python tests/bench/bench_engine.py` (or `make bench`). It prints a table and always
exits 0: timings depend on the machine and its load, so nothing here is asserted.
Each figure is the median over repeats of timeit's per-loop time.

BLAS threads: OpenBLAS reads OPENBLAS_NUM_THREADS when NumPy is imported, so the
one-thread table comes from a subprocess started with that variable set. That table
counts the process's CPU time (time.process_time), which other programs running on a
shared machine disturb far less than the wall-clock time of the default table.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:       # run as a plain script from a source checkout
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402  (after the path set-up)

from backprop_gui.engine import Network  # noqa: E402
from backprop_gui.engine.dataset import Dataset  # noqa: E402
from backprop_gui.engine.project import TrainingConfig  # noqa: E402
from backprop_gui.engine.training import Trainer  # noqa: E402

# (name, layer sizes, hidden activation, output activation, loss, batch, target speed-up)
NETWORKS = [
    ("2-2-1 XOR", [2, 2, 1], "sigmoid", "sigmoid", "mse", 4, 2.0),
    ("16-6-6-2", [16, 6, 6, 2], "relu", "softmax", "cross_entropy", 8, 2.0),
    ("64-32-32-10", [64, 32, 32, 10], "relu", "softmax", "cross_entropy", 64, 1.4),
    ("784-128-64-10", [784, 128, 64, 10], "relu", "softmax", "cross_entropy", 256, 1.0),
]
WALKTHROUGH_TARGET_US = 1000.0
LEARNING_RATE = 0.01      # small, so thousands of timed steps stay far from divergence
REPEATS = 7
SECONDS_PER_REPEAT = 0.05
TIMER = time.perf_counter     # the one-thread worker switches to time.process_time


def make_problem(sizes: list[int], hidden: str, out: str, loss: str, n: int):
    """A network (seed 0) and a dataset of n samples for it."""
    rng = np.random.default_rng(0)
    if sizes == [2, 2, 1]:
        X, labels = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float), np.array([0, 1, 1, 0])
        init = "uniform"
    else:
        X, labels = rng.random((n, sizes[0])), rng.integers(0, sizes[-1], n)
        labels[: sizes[-1]] = np.arange(sizes[-1])
        init = "he"
    acts = [hidden] * (len(sizes) - 2) + [out]
    net = Network.build(sizes, acts, loss, seed=0, init=init)
    classes = [str(k) for k in range(max(2, sizes[-1]))]
    return net, Dataset("bench", "bench", X, labels, classes)


def loops_for(fn) -> int:
    """How many calls of fn take about SECONDS_PER_REPEAT."""
    n, elapsed = 1, 0.0
    while elapsed < SECONDS_PER_REPEAT / 5:
        n *= 2
        elapsed = timeit.Timer(fn, timer=TIMER).timeit(number=n)
    return max(1, int(n * SECONDS_PER_REPEAT / elapsed))


def time_us(fns: dict[str, object]) -> dict[str, float]:
    """Median per-call time of each function in µs. The repeats of the functions take
    turns, so a change in the machine's load affects all of them alike."""
    loops = {name: loops_for(fn) for name, fn in fns.items()}
    runs: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(REPEATS):
        for name, fn in fns.items():
            runs[name].append(timeit.Timer(fn, timer=TIMER).timeit(number=loops[name])
                              / loops[name] * 1e6)
    return {name: statistics.median(r) for name, r in runs.items()}


def tutorial_step(net: Network, X, Y, lr: float, hidden: str, out: str, loss: str):
    """A plain NumPy step as a tutorial writes it: fresh arrays everywhere, no buffers."""
    Ws = [W.copy() for W in net.weights]
    bs = [b.copy() for b in net.biases]
    n = X.shape[0]

    def f(z, name):
        if name == "relu":
            return np.maximum(z, 0)
        if name == "sigmoid":
            return 1 / (1 + np.exp(-z))
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def df(a, name):
        return (a > 0) if name == "relu" else a * (1 - a)

    def step():
        acts = [X]
        for l, (W, b) in enumerate(zip(Ws, bs)):
            acts.append(f(acts[-1] @ W.T + b, out if l == len(Ws) - 1 else hidden))
        y_hat = acts[-1]
        if loss == "mse":
            value = np.mean((y_hat - Y) ** 2)
            delta = 2 * (y_hat - Y) / y_hat.size * df(y_hat, out)
        else:
            value = -np.sum(Y * np.log(y_hat)) / n
            delta = (y_hat - Y) / n
        for l in range(len(Ws) - 1, -1, -1):
            dW, db = delta.T @ acts[l], delta.sum(axis=0)
            if l:
                delta = (delta @ Ws[l]) * df(acts[l], hidden)
            Ws[l] -= lr * dW
            bs[l] -= lr * db
        return value

    return step


def torch_step(net: Network, X, Y, lr: float, hidden: str, out: str, loss: str):
    """The same step in PyTorch (float64, CPU), or None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    layers = []
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        lin = torch.nn.Linear(W.shape[1], W.shape[0]).double()
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        last = l == len(net.weights) - 1
        name = out if last else hidden
        if name == "relu":
            layers.append(torch.nn.ReLU())
        elif name == "sigmoid":
            layers.append(torch.nn.Sigmoid())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    labels = Yt.argmax(dim=1)
    loss_fn = torch.nn.MSELoss() if loss == "mse" else torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        value = loss_fn(model(Xt), Yt if loss == "mse" else labels)
        value.backward()
        opt.step()
        return value

    return step


def measure() -> list[dict]:
    rows = []
    for name, sizes, hidden, out, loss, n, target in NETWORKS:
        net, ds = make_problem(sizes, hidden, out, loss, n)
        X, Y = ds.inputs, ds.targets(sizes[-1])
        reference = tutorial_step(net, X, Y, LEARNING_RATE, hidden, out, loss)
        torch_fn = torch_step(net, X, Y, LEARNING_RATE, hidden, out, loss)
        trainer = Trainer(net, ds, TrainingConfig(optimizer="batch", learning_rate=LEARNING_RATE))
        fns = {"engine": trainer.step, "tutorial": reference}
        if torch_fn is not None:
            fns["torch"] = torch_fn
        us = time_us(fns)
        rows.append({"network": f"{name} (N={n})", "engine": us["engine"],
                     "tutorial": us["tutorial"], "torch": us.get("torch"),
                     "target": target, "stopped": trainer.stopped and trainer.stopped.code})
    return rows


def measure_walkthrough() -> dict | None:
    try:
        from backprop_gui.engine.walkthrough import walkthrough
    except ImportError:
        return None
    net, ds = make_problem([16, 6, 6, 2], "relu", "softmax", "cross_entropy", 8)
    x, y = ds.inputs[0], ds.targets(2)[0]
    return {"network": "walkthrough 16-6-6-2, 1 sample",
            "engine": time_us({"walk": lambda: walkthrough(net, x, y, 0.1)})["walk"]}


def print_table(rows: list[dict], walk: dict | None, title: str) -> None:
    print(title)
    head = f"{'network':<24}{'engine µs':>11}{'tutorial µs':>13}{'ratio':>8}{'torch µs':>10}{'target':>9}  result"
    print(head)
    print("-" * len(head))
    for r in rows:
        ratio = r["tutorial"] / r["engine"]
        torch_us = "n/a" if r["torch"] is None else f"{r['torch']:.1f}"
        verdict = "PASS" if ratio >= r["target"] else "MISS"
        note = f"  (trainer stopped: {r['stopped']})" if r["stopped"] else ""
        print(f"{r['network']:<24}{r['engine']:>11.1f}{r['tutorial']:>13.1f}{ratio:>8.2f}"
              f"{torch_us:>10}{'≥' + format(r['target'], '.1f') + '×':>9}  {verdict}{note}")
    if walk is None:
        print("walkthrough: skipped (backprop_gui.engine.walkthrough is not available)")
    else:
        verdict = "PASS" if walk["engine"] < WALKTHROUGH_TARGET_US else "MISS"
        print(f"{walk['network']:<37}{walk['engine']:>11.1f} µs  target < "
              f"{WALKTHROUGH_TARGET_US:.0f} µs  {verdict}")


def main() -> int:
    global TIMER
    if "--json" in sys.argv:        # worker mode for the one-thread subprocess
        TIMER = time.process_time
        print(json.dumps({"rows": measure(), "walk": measure_walkthrough()}))
        return 0
    try:
        import torch  # noqa: F401
    except ImportError:
        print("PyTorch is not installed: the torch column is skipped.")
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"NumPy {np.__version__}, {os.cpu_count()} CPUs (load average {load:.1f}), "
          f"OPENBLAS_NUM_THREADS={threads}; median of {REPEATS} repeats; "
          "ratio = tutorial / engine.")
    print("A busy machine slows multi-threaded BLAS most: compare the one-thread table.\n")
    print_table(measure(), measure_walkthrough(), "BLAS threads: default, wall-clock time")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, __file__, "--json"], env=env,
                          capture_output=True, text=True)
    print()
    if proc.returncode == 0:
        data = json.loads(proc.stdout.strip().splitlines()[-1])
        print_table(data["rows"], data["walk"],
                    "BLAS threads: 1 (OPENBLAS_NUM_THREADS=1), CPU time of the process")
    else:
        print("one-thread run failed:\n" + proc.stderr)
    return 0


if __name__ == "__main__":
    main()
