"""Plant known bugs one at a time and check that the tests notice them (`make mutate`).

Each Mutation replaces one exact piece of source text (which must occur exactly once, so a
mutation whose code moved fails loudly instead of testing nothing) and names the test files
that should catch it. The script copies the working tree to a temporary folder once, then for
each mutation writes the mutated file into the copy, runs the named tests with the project's
Python (`pytest -x`: the first failure is enough), and restores the file. The working tree is
only read, so neither a crash nor Ctrl+C can leave a bug planted in it.

A mutation is "killed" when its tests fail (or error, crash or time out) and "survived" when
they all pass: a survivor is a bug the suite would let through. Before the mutations, the
same tests run once unmutated (the baseline) and must pass, or the results would mean nothing.
Exit status: 0 if every mutation was killed, 1 if any survived, 2 if the set-up is broken
(text not found, a baseline failure, a test file that does not exist).

    .venv/bin/python tests/mutate.py                # all (make mutate)
    .venv/bin/python tests/mutate.py -k highlight   # those whose name contains "highlight"
    .venv/bin/python tests/mutate.py --list

Not part of `make test` (it runs the chosen tests once per mutation: ~7 minutes on two
cores); pytest does not collect this file (its name does not start with test_).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORED = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis",
                                 "build", "dist", "*.egg-info")


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str                   # relative to the repository root
    original: str               # must occur exactly once in the file
    replacement: str
    tests: tuple[str, ...]      # test files (or test ids) that should catch it
    note: str = ""              # said beside the result, e.g. why it may survive for now


WALK = ("tests/engine/test_walkthrough.py", "tests/engine/test_walkthrough_numbers.py")
MATHS = ("tests/engine/test_activations_losses.py", "tests/engine/test_network.py",
         "tests/engine/test_gradcheck.py", "tests/engine/test_walkthrough_numbers.py")
TRAIN = ("tests/engine/test_training.py",)
KERNELS = ("tests/engine/test_kernels.py", "tests/engine/test_training.py")

MUTATIONS: list[Mutation] = [
    # ----- engine: what a step shows -----------------------------------------------------------
    Mutation("walkthrough: ∂L/∂W step shows a⁽ˡ⁾ for a⁽ˡ⁻¹⁾", "backprop_gui/engine/walkthrough.py",
             '{f"∂L/∂z{s}": frozen(grads.dz[l]), f"a{p}": frozen(trace.a[l - 1])},',
             '{f"∂L/∂z{s}": frozen(grads.dz[l]), f"a{p}": frozen(trace.a[l])},', WALK),
    Mutation("walkthrough: ∂L/∂a step shows W⁽ˡ⁻¹⁾ for W⁽ˡ⁾", "backprop_gui/engine/walkthrough.py",
             '{f"∂L/∂z{s}": frozen(grads.dz[l]), f"W{s}": frozen(net.weights[l - 1])},',
             '{f"∂L/∂z{s}": frozen(grads.dz[l]), f"W{s}": frozen(net.weights[l - 2])},', WALK),
    Mutation("walkthrough: update step shows the new θ as the old", "backprop_gui/engine/walkthrough.py",
             '{f"{p}{s}": frozen(old[l - 1]), "α": alpha,',
             '{f"{p}{s}": frozen(new[l - 1]), "α": alpha,', WALK),
    # ----- engine: derivatives, losses, backward pass, update -----------------------------------
    Mutation("network: ∂L/∂b is the mean over samples, not the sum", "backprop_gui/engine/network.py",
             "db[l - 1] = dz[l].sum(axis=0)", "db[l - 1] = dz[l].mean(axis=0)", MATHS),
    Mutation("network: the update adds the bias gradient", "backprop_gui/engine/network.py",
             "self.biases[l] -= learning_rate * grads.db[l]",
             "self.biases[l] += learning_rate * grads.db[l]", MATHS),
    Mutation("activations: tanh′ = 1 − a", "backprop_gui/engine/activations.py",
             "return 1.0 - a * a", "return 1.0 - a", MATHS),
    Mutation("activations: ReLU′(0) = 1", "backprop_gui/engine/activations.py",
             "return (z > 0).astype(np.float64)", "return (z >= 0).astype(np.float64)", MATHS),
    Mutation("activations: softmax backward without its Jacobian", "backprop_gui/engine/activations.py",
             "return a * (da - np.sum(da * a, axis=-1, keepdims=True))", "return a * da", MATHS),
    Mutation("losses: MSE gradient divided by N, not N·K", "backprop_gui/engine/losses.py",
             "return 2.0 * (y_hat - y) / y_hat.size", "return 2.0 * (y_hat - y) / y_hat.shape[0]",
             MATHS),
    Mutation("losses: fused BCE gradient divided by N, not N·K", "backprop_gui/engine/losses.py",
             "def _fused_mean_over_elements(y_hat: Array, y: Array) -> Array:\n"
             "    return (y_hat - y) / y_hat.size",
             "def _fused_mean_over_elements(y_hat: Array, y: Array) -> Array:\n"
             "    return (y_hat - y) / y_hat.shape[0]", MATHS),
    Mutation("losses: cross-entropy averaged over N·K, not N", "backprop_gui/engine/losses.py",
             "return float(-np.sum(terms) / y_hat.shape[0])", "return float(-np.sum(terms) / y_hat.size)",
             MATHS),
    Mutation("losses: ½SSE gradient averaged over N", "backprop_gui/engine/losses.py",
             "return y_hat - y          # the ½ cancels", "return (y_hat - y) / y_hat.shape[0]  #",
             MATHS),
    Mutation("losses: ½SSE value without the ½", "backprop_gui/engine/losses.py",
             "return 0.5 * float(np.sum(diff * diff))", "return float(np.sum(diff * diff))", MATHS),
    # ----- engine: the fast training kernels and the records that point to them -----------------
    Mutation("kernels: sigmoid′ = a² − a", "backprop_gui/engine/kernels.py",
             "np.subtract(ONE, a, out=t)", "np.subtract(a, ONE, out=t)", KERNELS),
    Mutation("kernels: leaky ReLU′ = 1.01 for z > 0", "backprop_gui/engine/kernels.py",
             "np.multiply(t, one_minus_k, out=t)", "np.multiply(t, ONE, out=t)", KERNELS),
    Mutation("kernels: ReLU′ read from sign(z)", "backprop_gui/engine/kernels.py",
             "np.sign(a, out=t)", "np.sign(z, out=t)", KERNELS),
    Mutation("kernels: BCE loss averaged over N, not N·K", "backprop_gui/engine/kernels.py",
             "dot(buf.yT_flat, buf.zL_flat)) / buf.zL_flat.size",
             "dot(buf.yT_flat, buf.zL_flat)) / buf.n", KERNELS),
    Mutation("kernels: MSE gradient factor 1/(N·K)", "backprop_gui/engine/kernels.py",
             "lambda n, k: 2.0 / (n * k)", "lambda n, k: 1.0 / (n * k)", KERNELS),
    Mutation("kernels: ½SSE gradient factor 2", "backprop_gui/engine/kernels.py",
             "squared_error_gradient, lambda n, k: 1.0)", "squared_error_gradient, lambda n, k: 2.0)",
             KERNELS),
    Mutation("kernels: ½SSE loss without the ½", "backprop_gui/engine/kernels.py",
             "return 0.5 * float(dot(buf.err_flat, buf.err_flat))",
             "return float(dot(buf.err_flat, buf.err_flat))", KERNELS),
    Mutation("kernels: the softmax-overflow fallback is skipped", "backprop_gui/engine/kernels.py",
             "if -_INF < loss < _INF:", "if True:", KERNELS),
    Mutation("activations: the tanh record trains with the sigmoid kernel",
             "backprop_gui/engine/activations.py",
             "kernel=ActivationKernel(kernels.tanh_forward, kernels.tanh_backward)",
             "kernel=ActivationKernel(kernels.sigmoid_forward, kernels.sigmoid_backward)", KERNELS),
    Mutation("activations: ReLU not marked flat below zero", "backprop_gui/engine/activations.py",
             "_relu, _relu_prime, dead_below_zero=True,", "_relu, _relu_prime, dead_below_zero=False,",
             ("tests/ui/test_activation_records.py", "tests/session/test_session.py")),
    Mutation("losses: the worked MSE divides by N, not N·K", "backprop_gui/engine/losses.py",
             'return f"({_sum_text(parts, most)}) / {y_hat.size}"',
             'return f"({_sum_text(parts, most)}) / {y_hat.shape[0]}"',
             ("tests/ui/test_activation_records.py",)),
    Mutation("parameters: momentum adds the gradient", "backprop_gui/engine/parameters.py",
             "np.subtract(self.V, G, out=self.V)", "np.add(self.V, G, out=self.V)", TRAIN),
    Mutation("parameters: L1 uses |W| for sign(W)", "backprop_gui/engine/parameters.py",
             "np.sign(P, out=R)", "np.abs(P, out=R)", TRAIN),
    Mutation("parameters: L2 also decays the biases", "backprop_gui/engine/parameters.py",
             "self._l2_term = lr * self.config.l2 * self._weight_mask",
             "self._l2_term = lr * self.config.l2 * np.ones_like(self._weight_mask)", TRAIN),
    Mutation("divergence: a run is explained against the first run's start",
             "backprop_gui/engine/training.py",
             "        self._sync()\n        self._divergence.mark_start(self.steps)\n",
             "        self._sync()\n", TRAIN),
    Mutation("training: accuracy counts the smallest output", "backprop_gui/engine/batch_pass.py",
             "buf.out.argmax(axis=0, out=buf.guess)", "buf.out.argmin(axis=0, out=buf.guess)", TRAIN),
    Mutation("training: steps per epoch rounded down", "backprop_gui/engine/training.py",
             "return -(-self.n_samples // self._batch)", "return self.n_samples // self._batch", TRAIN),
    # ----- engine: files and data ---------------------------------------------------------------
    # The loader and the Trainer read their ranges from engine.limits: the loader skipping
    # the range is the one way left for them to disagree (validation_fraction 1.0 accepted).
    Mutation("project: validate() lets any optimizer, schedule and initialiser through",
             "backprop_gui/engine/project.py", "            if value not in known:",
             "            if False:", ("tests/engine/test_limits.py", "tests/engine/test_training.py")),
    Mutation("projectfile: loader ignores the training ranges", "backprop_gui/engine/project_schema.py",
             "return _number(v, path, bound.contains, bound.rule())",
             "return _number(v, path)",
             ("tests/engine/test_limits.py",)),
    Mutation("limits: validation fraction 1.0 allowed", "backprop_gui/engine/limits.py",
             '"validation_fraction": Bound(0.0, 0.9),', '"validation_fraction": Bound(0.0, 1.0),',
             ("tests/engine/test_limits.py", "tests/ui/test_settings_limits.py")),
    Mutation("dataset: validation split rounds down", "backprop_gui/engine/dataset.py",
             "n_val = int(round(self.n_samples * validation_fraction))",
             "n_val = int(self.n_samples * validation_fraction)",
             ("tests/engine/test_datasets.py", "tests/engine/test_training.py")),
    Mutation("selection: W⁽ˡ⁾ read from weights[l], one layer late", "backprop_gui/engine/selection.py",
             "return self.layer - 1", "return self.layer",
             ("tests/engine/test_selection.py", "tests/ui/test_inspector.py")),
    # ----- session -----------------------------------------------------------------------------
    Mutation("recovery: copies listed oldest first", "backprop_gui/session/recovery.py",
             "result.entries.sort(key=lambda e: e.saved_at, reverse=True)",
             "result.entries.sort(key=lambda e: e.saved_at, reverse=False)",
             ("tests/session/test_autosave.py", "tests/ui/test_recovery.py")),
    Mutation("undo: undoing a parameter edit keeps the new value", "backprop_gui/session/commands.py",
             "self._array()[self._index()] = self._old", "self._array()[self._index()] = self._new",
             ("tests/session/test_session.py",)),
    Mutation("undo: edits of different parameters merge", "backprop_gui/session/commands.py",
             "if not isinstance(other, SetParameterCommand) or other._key != self._key:",
             "if not isinstance(other, SetParameterCommand):",
             ("tests/session/test_session.py", "tests/ui/test_inspector.py")),
    Mutation("undo: paint strokes on different samples merge", "backprop_gui/session/commands.py",
             "or other._sample != self._sample):", "or False):",
             ("tests/session/test_session.py", "tests/ui/test_pixel_editor.py")),
    Mutation("stepper: a recompute jumps back to the first step", "backprop_gui/session/stepper.py",
             "self._index = self._find(self._key)", "self._index = 0",
             ("tests/session/test_stepper.py", "tests/ui/test_stepper.py")),
    # ----- ui -----------------------------------------------------------------------------------
    Mutation("sample overview: ŷ shows argmin", "backprop_gui/ui/editors/table_editor.py",
             "k = int(outputs[row].argmax())", "k = int(outputs[row].argmin())",
             ("tests/ui/test_input_panel.py",)),
    Mutation("output chart: predicts the smallest output", "backprop_gui/ui/editors/output_chart.py",
             "return int(np.argmax(self.values))", "return int(np.argmin(self.values))",
             ("tests/ui/test_input_panel.py",)),
    Mutation("diagram highlight: the output layer's neurons never lit", "backprop_gui/ui/diagram/lighting.py",
             "lit = {k: v for k, v in h.lit_layers().items() if 0 <= k < n_layers}",
             "lit = {k: v for k, v in h.lit_layers().items() if 0 <= k < n_layers - 1}",
             ("tests/ui/test_diagram.py",)),
    Mutation("diagram highlight: the last weight layer never lit", "backprop_gui/ui/diagram/lighting.py",
             "edge_layers = {l for l in h.edge_layers if 1 <= l < n_layers}",
             "edge_layers = {l for l in h.edge_layers if 1 <= l < n_layers - 1}",
             ("tests/ui/test_diagram.py",)),
    Mutation("diagram: a selected bias rings no neuron", "backprop_gui/ui/diagram/lighting.py",
             "target = (sel.layer, sel.j) if sel is not None and not sel.is_weight else None",
             "target = (sel.layer, sel.j) if sel is not None and sel.is_neuron else None",
             ("tests/ui/test_diagram.py",)),
    Mutation("diagram: input pixels' grey scaled by 250", "backprop_gui/ui/diagram/nodes.py",
             "np.round(255.0 * (1.0 - np.clip(values, 0.0, 1.0)))",
             "np.round(250.0 * (1.0 - np.clip(values, 0.0, 1.0)))",
             ("tests/ui/test_diagram.py",)),
    Mutation("numbers: ×10ⁿ written as e-notation", "backprop_gui/engine/overflow.py",
             'text = f"{mantissa}×10{sup(int(exponent))}"', 'text = f"{mantissa}e{int(exponent)}"',
             ("tests/engine/test_notation.py", "tests/ui/test_diagram.py")),
    Mutation("colours: diverging scale twice as steep", "backprop_gui/ui/common/colors.py",
             "t = np.asarray(values, dtype=np.float64) / (2.0 * limit)",
             "t = np.asarray(values, dtype=np.float64) / limit",
             ("tests/ui/test_diagram.py", "tests/ui/test_plots.py")),
    Mutation("heatmaps: the last layer is not built", "backprop_gui/ui/plots/heatmaps.py",
             "        for l in range(1, n_layers + 1):\n            n_in, n_out",
             "        for l in range(1, n_layers):\n            n_in, n_out",
             ("tests/ui/test_plots.py",)),
    Mutation("stepper highlight: ∂L/∂a lights W⁽ˡ⁾ for W⁽ˡ⁺¹⁾", "backprop_gui/ui/stepper/highlights.py",
             'return Highlight(l, {l: None, l + 1: None}, [l + 1], "backward", label)',
             'return Highlight(l, {l: None, l + 1: None}, [l], "backward", label)',
             ("tests/ui/test_stepper.py",)),
    Mutation("stepper: textbook ∂L/∂W formula with a⁽ˡ⁾", "backprop_gui/ui/common/formatting.py",
             'return f"∂L/∂W{sup(l)} = ∂L/∂z{sup(l)} · (a{sup(l - 1)})ᵀ"',
             'return f"∂L/∂W{sup(l)} = ∂L/∂z{sup(l)} · (a{sup(l)})ᵀ"',
             ("tests/ui/test_stepper.py",)),
    Mutation("stepper: numbers lose the real minus sign", "backprop_gui/ui/common/formatting.py",
             "    return text.replace(\"-\", MINUS)\n", "    return text\n",
             ("tests/ui/test_stepper.py",)),
    Mutation("update table: old and new swapped", "backprop_gui/ui/stepper/update_table.py",
             "return (name, old, alpha, grad, new)[col]", "return (name, new, alpha, grad, old)[col]",
             ("tests/ui/test_stepper.py",)),
    Mutation("recovery dialog: “yesterday” is two days ago", "backprop_gui/ui/dialogs/recovery.py",
             "elif local.date() == today - timedelta(days=1):",
             "elif local.date() == today - timedelta(days=2):",
             ("tests/ui/test_recovery.py",)),
    # ----- issue 12: files that must not hang or exhaust the app, limits, empty datasets -------
    Mutation("regular files: a named pipe is opened like a file", "backprop_gui/engine/regular_file.py",
             "    if not stat.S_ISREG(mode):", "    if False:",
             ("tests/engine/test_regular_file.py",)),
    Mutation("limits: one layer more than MAX_LAYERS allowed", "backprop_gui/engine/limits.py",
             "if len(sizes) - 1 > MAX_LAYERS:", "if len(sizes) - 1 > MAX_LAYERS + 1:",
             ("tests/engine/test_limits.py",)),
    Mutation("loader: any number of samples", "backprop_gui/engine/project_schema.py",
             "if isinstance(v, list) and len(v) > MAX_SAMPLES:", "if False:",
             ("tests/engine/test_limits.py",)),
    Mutation("loader: a long history is kept whole", "backprop_gui/engine/project_schema.py",
             "keep = thinned(epochs) if len(epochs) > MAX_RECORDS else None", "keep = None",
             ("tests/engine/test_limits.py",)),
    Mutation("empty dataset: the Input panel shows an editor of no sample",
             "backprop_gui/ui/editors/input_panel.py",
             "        if not self.session.has_samples:\n            editor = self.empty_page",
             "        if False:\n            editor = self.empty_page",
             ("tests/ui/test_empty_dataset.py",)),
    Mutation("plain text: a tooltip with markup is rendered", "backprop_gui/ui/common/plain_text.py",
             "    if not Qt.mightBeRichText(text):\n        return text",
             "    if True:\n        return text",
             ("tests/ui/test_plain_text.py",)),
]


# ----- running ------------------------------------------------------------------------------

def check_mutations(mutations: list[Mutation], root: Path) -> list[str]:
    """Problems that make a mutation meaningless: text not found once, tests that do not exist."""
    problems = []
    for m in mutations:
        path = root / m.path
        if not path.is_file():
            problems.append(f"{m.name}: no file {m.path}")
            continue
        count = path.read_text(encoding="utf-8").count(m.original)
        if count != 1:
            problems.append(f"{m.name}: the original text occurs {count} times in {m.path} "
                            f"(expected once; has the code moved?)\n    {m.original!r}")
        if m.replacement == m.original:
            problems.append(f"{m.name}: the replacement is the original")
        for t in m.tests:
            if not (root / t.split("::")[0]).is_file():
                problems.append(f"{m.name}: no test file {t}")
    return problems


def run_tests(copy: Path, tests: tuple[str, ...], timeout: float) -> tuple[str, float, str]:
    """("passed" | "failed" | "timeout" | "crashed" | "error:<rc>", seconds, first failure)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8",
               PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(copy))
    env.pop("PYTEST_ADDOPTS", None)
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    start = time.monotonic()
    # A session of its own: Ctrl+C reaches this script only, which then ends the run itself.
    proc = subprocess.Popen(cmd, cwd=copy, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(proc)
        return "timeout", time.monotonic() - start, ""
    except BaseException:
        stop(proc)
        raise
    seconds = time.monotonic() - start
    failed = re.search(r"^(?:FAILED|ERROR) (\S+)", out, re.MULTILINE)
    first = failed.group(1) if failed else ""
    if proc.returncode == 0:
        return "passed", seconds, ""
    if proc.returncode in (1, 2):   # tests failed / collection failed (e.g. an import error)
        last = out.strip().splitlines()[-1] if out.strip() else ""
        return "failed", seconds, first or last
    if proc.returncode < 0:
        return "crashed", seconds, f"signal {-proc.returncode}"
    return f"error:{proc.returncode}", seconds, out.strip()[-400:]


def stop(proc: subprocess.Popen) -> None:
    """End the test run this script started (its own process group), and wait for it."""
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", dest="only", default="", help="only mutations whose name contains this")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated run")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per test run")
    args = parser.parse_args(argv)

    mutations = [m for m in MUTATIONS if args.only.lower() in m.name.lower()]
    if args.list:
        for m in mutations:
            print(f"{m.name}\n    {m.path}  →  {' '.join(m.tests)}")
        return 0
    problems = check_mutations(mutations, ROOT)
    if problems:
        print("make mutate: cannot run:\n" + "\n".join(f"  {p}" for p in problems), file=sys.stderr)
        return 2
    if not mutations:
        print(f"make mutate: no mutation name contains {args.only!r}", file=sys.stderr)
        return 2

    copy_root = Path(tempfile.mkdtemp(prefix="backprop-mutate-"))
    try:
        copy = copy_root / "repo"
        shutil.copytree(ROOT, copy, ignore=IGNORED, symlinks=True)
        probe = subprocess.run(
            [sys.executable, "-c", "import backprop_gui; print(backprop_gui.__file__)"],
            cwd=copy, env=dict(os.environ, PYTHONPATH=str(copy)), capture_output=True, text=True)
        if not probe.stdout.strip().startswith(str(copy)):
            print(f"make mutate: the copy's package is not the one imported ({probe.stdout.strip()}"
                  f"{probe.stderr.strip()})", file=sys.stderr)
            return 2
        if not args.no_baseline:
            tests = tuple(dict.fromkeys(t for m in mutations for t in m.tests))
            print(f"Baseline: {len(tests)} test files, unmutated …", flush=True)
            outcome, seconds, first = run_tests(copy, tests, args.timeout * 2)
            if outcome != "passed":
                print(f"make mutate: the tests fail without any mutation ({outcome} {first}); "
                      "fix that first", file=sys.stderr)
                return 2
            print(f"Baseline passed in {seconds:.0f} s\n", flush=True)
        return run_all(copy, mutations, args.timeout)
    except KeyboardInterrupt:
        print("\nmake mutate: interrupted; the working tree was never changed", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(copy_root, ignore_errors=True)


def run_all(copy: Path, mutations: list[Mutation], timeout: float) -> int:
    width = max(len(m.name) for m in mutations)
    print(f"{'#':>2}  {'mutation':<{width}}  {'result':<9} {'time':>5}  caught by / note")
    survived, errors = [], []
    for n, m in enumerate(mutations, start=1):
        path = copy / m.path
        source = path.read_text(encoding="utf-8")
        path.write_text(source.replace(m.original, m.replacement, 1), encoding="utf-8")
        try:
            outcome, seconds, first = run_tests(copy, m.tests, timeout)
        finally:
            path.write_text(source, encoding="utf-8")
        if outcome == "passed":
            result, detail = "SURVIVED", m.note
            survived.append(m)
        elif outcome.startswith("error"):
            result, detail = "ERROR", first
            errors.append(m)
        else:
            result, detail = "killed", (first if outcome == "failed" else outcome)
        print(f"{n:>2}  {m.name:<{width}}  {result:<9} {seconds:>4.0f}s  {detail}", flush=True)
    killed = len(mutations) - len(survived) - len(errors)
    print(f"\n{killed} of {len(mutations)} killed, {len(survived)} survived"
          + (f", {len(errors)} could not be run" if errors else ""))
    for m in survived:
        print(f"  survived: {m.name} ({m.path})" + (f": {m.note}" if m.note else ""))
    if errors:
        return 2
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
