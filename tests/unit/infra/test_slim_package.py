"""infra/slim_package.py: what it drops from the Lambda package, and the size check."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from infra import slim_package


def _package(path: Path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in files.items():
            z.writestr(name, body)


def test_drops_sympy_and_mpmath_and_keeps_the_rest(tmp_path: Path) -> None:
    pkg = tmp_path / "deployment.zip"
    _package(
        pkg,
        {
            "app.py": b"x" * 10,
            "sympy/__init__.py": b"s" * 100,
            "sympy-1.12.dist-info/METADATA": b"m" * 5,
            "mpmath/__init__.py": b"p" * 50,
            "onnxruntime/__init__.py": b"o" * 20,
            "chalicelib/sympy_notes.txt": b"n" * 3,
            "sympyish/__init__.py": b"y" * 4,
        },
    )
    kept, removed = slim_package.slim(pkg)
    with zipfile.ZipFile(pkg) as z:
        names = sorted(z.namelist())
        assert z.read("app.py") == b"x" * 10
    assert names == [
        "app.py",
        "chalicelib/sympy_notes.txt",
        "onnxruntime/__init__.py",
        "sympyish/__init__.py",
    ]
    assert (kept, removed) == (37, 155)


def test_fails_naming_the_size_over_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = tmp_path / "deployment.zip"
    _package(pkg, {"app.py": b"x" * 2000})
    monkeypatch.setattr(slim_package, "LIMIT", 1000)
    assert slim_package.main([str(pkg)]) == 1
    assert "over Lambda's" in capsys.readouterr().err
    monkeypatch.setattr(slim_package, "LIMIT", 10_000)
    assert slim_package.main([str(pkg)]) == 0
    assert slim_package.main([]) == 2
