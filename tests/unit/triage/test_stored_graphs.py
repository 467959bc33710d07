"""The committed readers are stored with ONNX Runtime's graph optimisations applied
(``bench/triage/preoptimise.py``), and their sessions apply none at load: a model stored
without them would read texts differently (and more slowly) than it did when the stack,
the sentiment mix and the judge were fit on it."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from chalicelib.triage.e5 import E5Reader
from chalicelib.triage.encoder import Encoder

TEXTS = [
    "Our new oat latte is out today, come try it!",
    "Worst service ever, you people are pathetic",
    "Neu in der Vitrine: Rhabarber-Streusel 🍰 Solange der Vorrat reicht.",
    "@USER I hope you get what you deserve URL",
]

READERS: dict[str, Callable[[bool], Callable[[list[str]], tuple[np.ndarray, ...]]]] = {
    "encoder": lambda stored: Encoder(stored_optimised=stored).read,
    "e5": lambda stored: E5Reader(stored_optimised=stored).run,
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_stored_graphs_read_as_fully_optimised_ones(reader: str) -> None:
    as_stored = READERS[reader](True)(TEXTS)
    optimised_at_load = READERS[reader](False)(TEXTS)
    for a, b in zip(as_stored, optimised_at_load, strict=True):
        assert np.array_equal(a, b), f"{reader}: rerun bench/triage/preoptimise.py"
