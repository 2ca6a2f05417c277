"""Saving and loading models: plain arrays in ``.npz`` files, and a model card.

A model directory holds ``tagger.npz``, ``outcome.npz`` and ``card.json`` (plus ``card.md`` for
people). Each ``.npz`` holds numbers and strings only: a model's fitted weights as named arrays and
its parameters as one JSON string. Loading never constructs an object a file names: arrays are read
with ``allow_pickle=False`` (so a pickle, a joblib file or an object array is refused before any of
it runs) and handed to the two classes that know them (``SentenceTagger.from_arrays``,
``OutcomeModel.from_arrays``), which check every name and shape. Each file's SHA-256 is checked
against the card first, and loading warns when library versions differ from those the model was
trained with.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import numpy as np

from .errors import ModelError

__all__ = ["FORMAT", "FILES", "versions", "save_model_files", "load_model_files", "sha256", "file_mode"]

FORMAT = "sendnlp-arrays-1"
FILES = ("tagger.npz", "outcome.npz")
_META = "meta.json"


def versions() -> dict[str, str]:
    """The versions that decide whether a model file still means what it meant when saved."""
    out = {"python": platform.python_version()}
    for package in ("sendnlp", "scikit-learn", "spacy", "numpy", "scipy"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "unknown"
    return out


def sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_mode() -> int:
    """The mode a new file gets here (0o666 less the umask): temporary files start private."""
    return 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic_write_bytes(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_model_files(parts: dict[str, object], card: dict, folder: str | Path,
                     card_md: Callable[[dict], str]) -> Path:
    """Write each part's arrays (``part.to_arrays()``), then the card with their hashes and the
    versions (last, atomically), and ``card_md(card)`` of that whole card as ``card.md``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name in FILES:
        meta, arrays = parts[name].to_arrays()
        arrays = {**arrays, _META: np.array(json.dumps(meta, sort_keys=True))}
        path = folder / name
        _atomic_write_bytes(path, lambda h, a=arrays: np.savez_compressed(h, allow_pickle=False, **a))
        hashes[name] = sha256(path)
    card = {**card, "format": FORMAT, "files": hashes, "versions": versions()}
    markdown = card_md(card)  # before anything of the card is written
    _atomic_write_bytes(folder / "card.json", lambda h: h.write(json.dumps(card, indent=2).encode()))
    _atomic_write_bytes(folder / "card.md", lambda h: h.write(markdown.encode()))
    return folder


def _read_arrays(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """(meta, arrays) of one model file, reading numbers and strings only."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except Exception as err:  # a pickle, a joblib file, an object array, junk
        raise ModelError(f"{path}: not a sendnlp model file ({err.__class__.__name__}); refusing to load it") from None
    try:
        meta = json.loads(str(arrays.pop(_META)))
    except (KeyError, ValueError):
        meta = None
    if not isinstance(meta, dict):
        raise ModelError(f"{path}: not a sendnlp model file (no parameters); refusing to load it")
    return meta, arrays


def _check_versions(saved: dict, where: Path) -> None:
    now = versions()
    if saved.get("sendnlp", "").split(".")[:1] != now["sendnlp"].split(".")[:1]:
        raise ModelError(f"{where}: trained with sendnlp {saved.get('sendnlp')}, this is {now['sendnlp']}; "
                         "retrain it with `sendnlp train CORPUS --out DIR`")
    differ = [f"{k} {saved.get(k)} -> {now[k]}" for k in ("scikit-learn", "numpy", "scipy", "spacy", "python")
              if saved.get(k, "").split(".")[:2] != now[k].split(".")[:2]]
    if differ:
        warnings.warn(f"{where}: model trained under other versions ({'; '.join(differ)}); predictions may "
                      "shift slightly. Retrain with `sendnlp train CORPUS --out DIR` to be sure.", stacklevel=3)


def load_model_files(folder: str | Path, builders: dict) -> tuple[dict[str, object], dict]:
    """Load a model directory: ``builders`` maps each file name to the ``from_arrays`` that rebuilds it."""
    folder = Path(folder)
    card_path = folder / "card.json"
    if not folder.is_dir():
        raise ModelError(f"{folder}: no such model directory")
    try:
        card = json.loads(card_path.read_text())
    except (OSError, ValueError) as err:
        raise ModelError(f"{card_path}: missing or unreadable model card ({err.__class__.__name__})") from None
    if card.get("format") != FORMAT:
        raise ModelError(f"{folder}: model format {card.get('format')!r}, this sendnlp reads {FORMAT!r}; "
                         "retrain it with `sendnlp train CORPUS --out DIR`")
    _check_versions(card.get("versions", {}), folder)
    parts = {}
    for name in FILES:
        path = folder / name
        if not path.is_file():
            raise ModelError(f"{path}: missing model file")
        if card.get("files", {}).get(name) != sha256(path):
            raise ModelError(f"{path}: SHA-256 does not match the model card; the file was changed or "
                             "replaced, refusing to load it")
        meta, arrays = _read_arrays(path)
        try:
            parts[name] = builders[name](meta, arrays)
        except ModelError as err:
            raise ModelError(f"{path}: {err}") from None
        except (KeyError, TypeError, ValueError) as err:
            raise ModelError(f"{path}: malformed model file ({err.__class__.__name__}: {err})") from None
    return parts, card
