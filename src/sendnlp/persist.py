"""Saving and loading models: skops files, an explicit list of trusted types, and a model card.

A model directory holds ``tagger.skops``, ``outcome.skops`` and ``card.json`` (plus ``card.md``
for people). Loading checks each file's SHA-256 against the card, refuses any type not on
:data:`TRUSTED_TYPES` (so a pickle, a joblib file or a tampered archive never runs), and warns when
the library versions differ from those the model was trained with.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
import warnings
import zipfile
from importlib import metadata
from pathlib import Path

from .errors import ModelError

__all__ = ["TRUSTED_TYPES", "FILES", "versions", "save_model_files", "load_model_files", "sha256", "file_mode"]

FILES = ("tagger.skops", "outcome.skops")
# Types beyond skops's own defaults (scikit-learn, numpy, scipy) that a sendnlp model may hold.
TRUSTED_TYPES: tuple[str, ...] = (
    "sendnlp.tagger.SentenceTagger",
    "sendnlp.outcome.OutcomeModel",
    "sendnlp.nlp.analyse",
    "numpy.float32",
)


def versions() -> dict[str, str]:
    """The versions that decide whether a model file still means what it meant when saved."""
    out = {"python": platform.python_version()}
    for package in ("sendnlp", "scikit-learn", "spacy", "numpy", "scipy", "skops"):
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


def save_model_files(objects: dict[str, object], card: dict, folder: str | Path, card_md: str) -> Path:
    """Write each object with skops, then the card with their hashes (written last, atomically)."""
    import skops.io as sio

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name in FILES:
        path = folder / name
        _atomic_write_bytes(path, lambda h, obj=objects[name]: sio.dump(obj, h, compression=zipfile.ZIP_DEFLATED))
        hashes[name] = sha256(path)
    card = {**card, "files": hashes, "versions": versions()}
    _atomic_write_bytes(folder / "card.json", lambda h: h.write(json.dumps(card, indent=2).encode()))
    _atomic_write_bytes(folder / "card.md", lambda h: h.write(card_md.encode()))
    return folder


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


def load_model_files(folder: str | Path) -> tuple[dict[str, object], dict]:
    """Load a model directory, refusing anything it does not trust."""
    import skops.io as sio

    folder = Path(folder)
    card_path = folder / "card.json"
    if not folder.is_dir():
        raise ModelError(f"{folder}: no such model directory")
    try:
        card = json.loads(card_path.read_text())
    except (OSError, ValueError) as err:
        raise ModelError(f"{card_path}: missing or unreadable model card ({err.__class__.__name__})") from None
    _check_versions(card.get("versions", {}), folder)
    objects = {}
    for name in FILES:
        path = folder / name
        if not path.is_file():
            raise ModelError(f"{path}: missing model file")
        expected = card.get("files", {}).get(name)
        if expected != sha256(path):
            raise ModelError(f"{path}: SHA-256 does not match the model card; the file was changed or "
                             "replaced, refusing to load it")
        try:
            untrusted = sio.get_untrusted_types(file=path)
        except Exception as err:  # not a skops archive at all (a pickle, a joblib file, junk)
            raise ModelError(f"{path}: not a skops model file ({err.__class__.__name__}); refusing to load it") from None
        unexpected = sorted(set(untrusted) - set(TRUSTED_TYPES))
        if unexpected:
            raise ModelError(f"{path}: holds types sendnlp does not trust ({', '.join(unexpected[:5])}); "
                             "refusing to load it")
        try:
            objects[name] = sio.load(path, trusted=list(untrusted))
        except Exception as err:
            raise ModelError(f"{path}: cannot load model ({err.__class__.__name__}: {err})") from None
    return objects, card
