"""Store the int8 readers with ONNX Runtime's graph optimisations already applied.

    python bench/triage/preoptimise.py      # with the runtime's onnxruntime (.venv)

A Lambda's cold start builds both ONNX sessions, and most of that time is ONNX Runtime
rewriting the graph (fusing the int8 matmuls, attention, layer norms) before the first
text. Saved once after its extended optimisations, the graph needs no rewriting, and the
runtime (``encoder.one_thread_session``) applies none: both readers' sessions are built
in 0.18 s instead of 0.69 s on this machine (2026-12-03), and read as fast. ONNX
Runtime's last level, layout rewrites for the CPU it runs on, cannot be stored portably
and is not applied; it did nothing for these models: on 938 posts both read bit for bit
as the originals optimised at every level (the crisis set and the probes, 2026-12-03).

Each model is rewritten in place, then read again by its runtime class on tuning posts
(``sample_texts``), and kept only where every output is bit for bit what
the original gave optimised at load; otherwise the original is put back and the script
fails. A model that already reads so is left alone (saving it again would give other
bytes, so another digest). It must run with the Lambda's onnxruntime
(``requirements.txt``): the training virtualenv's newer one could store operators the
older one cannot read. ``calibrate_encoder.py`` runs it on the folders it reads (the
shipped ones after ``make triage-encoder`` or ``make triage-e5``, or a trial model in
``build/``), before anything reads them.
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
# Each reader: its model file, and how its runtime class reads texts from a folder, with
# the model optimised at load (False) or as stored (True); and where it ships.
Outputs = Callable[[list[str]], tuple[np.ndarray, ...]]
READERS: dict[str, tuple[str, Callable[[Path, bool], Outputs]]] = {
    "encoder": ("encoder.int8.onnx", lambda d, stored: Encoder(d, stored_optimised=stored).read),
    "e5": ("e5.int8.onnx", lambda d, stored: E5Reader(d, stored_optimised=stored).run),
}
SHIPPED = {"encoder": ENCODER_DIR, "e5": E5_DIR}
# Posts per writer of ``judge/written`` compared on, beside the crisis set.
PER_WRITER = 25


def pinned_onnxruntime() -> str:
    """The onnxruntime version ``requirements.txt`` pins for the Lambda."""
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    found = re.search(r"^onnxruntime==(\S+)", text, re.MULTILINE)
    if found is None:
        raise SystemExit("requirements.txt pins no onnxruntime")
    return found.group(1)


def sample_texts() -> list[str]:
    """English and German posts to compare the readers on, all tuning data (never a
    held-out half, a blind set or a probe): the crisis set and the first posts of each
    writer of the judge's training posts."""
    texts = [
        json.loads(line)["text"]
        for line in (CRISIS / "posts.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for path in sorted((CRISIS / "judge" / "written").glob("*.tsv")):
        rows = path.read_text(encoding="utf-8").splitlines()[:PER_WRITER]
        texts += [row.split("\t")[2] for row in rows]
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


def store_optimised(reader: str, folder: Path, texts: list[str] | None = None) -> int:
    """Rewrite a reader's model in ``folder`` in place, keeping it only if the reader
    returns for the sample texts, loading it as stored, what the model gave optimised at
    load; the new size in bytes, or 0 where it already read so (a model stored optimised
    is left as it is: saving it again would give other bytes, so another digest)."""
    import onnxruntime as ort

    if ort.__version__ != (want := pinned_onnxruntime()):
        raise SystemExit(f"onnxruntime {ort.__version__} here, the Lambda runs {want}: use .venv")
    name, read = READERS[reader]
    model, texts = folder / name, texts or sample_texts()
    before = read(folder, False)(texts)
    if same(before, read(folder, True)(texts)):
        return 0
    backup, fresh = model.with_suffix(".onnx.orig"), model.with_suffix(".onnx.new")
    optimise(model, fresh)
    model.replace(backup)
    kept = False
    try:
        fresh.replace(model)
        kept = same(before, read(folder, True)(texts))
    finally:
        if not kept:  # also where the new graph failed to load: the original goes back
            backup.replace(model)
    if not kept:
        raise SystemExit(f"{model}: the optimised graph reads differently; left as it was")
    backup.unlink()
    return model.stat().st_size


def main() -> None:
    texts = sample_texts()
    for reader, folder in SHIPPED.items():
        size = store_optimised(reader, folder, texts)
        name = (folder / READERS[reader][0]).relative_to(ROOT)
        if size:
            print(f"{name}: {size / 1e6:.1f} MB, same outputs on {len(texts)} texts")
        else:
            print(f"{name}: stored optimised already, left as it is")


if __name__ == "__main__":
    main()
