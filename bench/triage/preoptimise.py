"""Store the int8 readers with ONNX Runtime's graph optimisations already applied.

    python bench/triage/preoptimise.py      # with the runtime's onnxruntime (.venv)

A Lambda's cold start builds both ONNX sessions, and most of that time is ONNX Runtime
rewriting the graph (fusing the int8 matmuls, attention, layer norms) before the first
text. Saved once after its extended optimisations, the graph needs no rewriting, and the
runtime (``encoder.one_thread_session``) applies none: both readers' sessions are built
in 0.18 s instead of 0.69 s on this machine (2026-12-03), and read as fast. ONNX
Runtime's last level, layout rewrites for the CPU it runs on, cannot be stored portably
and is not applied; it did nothing for these models: on 938 posts both read bit for bit
as the originals optimised at every level.

Each model is rewritten in place, then read again by its runtime class on the crisis
posts and probes (``bench/crisis``), and kept only where every output is bit for bit what
the original gave optimised at load; otherwise the original is put back and the script
fails. A model that already reads so is left alone (saving it again would give other
bytes, so another digest). It must run with the Lambda's onnxruntime
(``requirements.txt``): the training virtualenv's newer one could store operators the
older one cannot read. ``make triage-encoder`` and ``make triage-e5`` run it after
training.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from chalicelib.triage.e5 import E5_DIR, E5Reader  # noqa: E402
from chalicelib.triage.encoder import ENCODER_DIR, Encoder  # noqa: E402

CRISIS = ROOT / "bench" / "crisis"
# Each model file and how its runtime class reads texts from its folder: the model
# optimised at load (False) or as stored (True).
Outputs = Callable[[list[str]], tuple[np.ndarray, ...]]
MODELS: dict[Path, Callable[[Path, bool], Outputs]] = {
    ENCODER_DIR / "encoder.int8.onnx": lambda d, stored: Encoder(d, stored_optimised=stored).read,
    E5_DIR / "e5.int8.onnx": lambda d, stored: E5Reader(d, stored_optimised=stored).run,
}


def pinned_onnxruntime() -> str:
    """The onnxruntime version ``requirements.txt`` pins for the Lambda."""
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    found = re.search(r"^onnxruntime==(\S+)", text, re.MULTILINE)
    if found is None:
        raise SystemExit("requirements.txt pins no onnxruntime")
    return found.group(1)


def sample_texts() -> list[str]:
    """English and German posts to compare the readers on: the crisis set and the probes."""
    texts = [
        json.loads(line)["text"]
        for line in (CRISIS / "posts.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for path in sorted((CRISIS / "probes").glob("*.txt")):
        texts += [t for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]
    return texts


def optimise(model: Path, out: Path) -> None:
    """Write ``model`` with the extended graph optimisations applied to ``out``."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    opts.optimized_model_filepath = str(out)
    opts.log_severity_level = 3
    ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])


def same(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def preoptimise(model: Path, reader: Callable[[Path, bool], Outputs], texts: list[str]) -> int:
    """Rewrite ``model`` in place, keeping it only if ``reader`` returns for ``texts``,
    loading it as stored, what the model gave optimised at load; the new size in bytes,
    or 0 where it already read so (a model stored optimised is left as it is)."""
    before = reader(model.parent, False)(texts)
    if same(before, reader(model.parent, True)(texts)):
        return 0  # stored optimised already: rewriting it would only change its digest
    backup, fresh = model.with_suffix(".onnx.orig"), model.with_suffix(".onnx.new")
    optimise(model, fresh)
    model.replace(backup)
    fresh.replace(model)
    if not same(before, reader(model.parent, True)(texts)):
        backup.replace(model)
        raise SystemExit(f"{model.name}: the optimised graph reads differently; left as it was")
    backup.unlink()
    return model.stat().st_size


def main() -> None:
    import onnxruntime as ort

    want = pinned_onnxruntime()
    if ort.__version__ != want:
        raise SystemExit(f"onnxruntime {ort.__version__} here, the Lambda runs {want}: use .venv")
    texts = sample_texts()
    for model, reader in MODELS.items():
        size = preoptimise(model, reader, texts)
        name = model.relative_to(ROOT)
        if size:
            print(f"{name}: {size / 1e6:.1f} MB, same outputs on {len(texts)} texts")
        else:
            print(f"{name}: stored optimised already, left as it is")


if __name__ == "__main__":
    main()
