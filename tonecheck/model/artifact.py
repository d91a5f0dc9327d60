"""Model artifacts on disk: `<dir>/<version>/model.joblib` + `metadata.json`, and CURRENT.

joblib is pickle, so a file is loaded only after its SHA-256 matches the
metadata written beside it, and only by the scikit-learn version that wrote it.
Every write goes to a temporary name first and is renamed into place, so a
reader never sees half an artifact or half a CURRENT file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import sklearn

from tonecheck.model.probes import ProbeFailure, check_model
from tonecheck.model.scorer import ToneModel

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
CURRENT_FILE = "CURRENT"
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")


class ArtifactError(Exception):
    """An artifact that is missing, corrupt, tampered with or from another library version."""


@dataclass(frozen=True)
class LoadedModel:
    version: str
    model: ToneModel
    metadata: dict[str, Any]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_version_name(version: str) -> None:
    if not _VERSION.match(version):
        raise ArtifactError(f"model version {version!r} is not a valid version name")


def save_artifact(root: Path, version: str, model: ToneModel, metadata: dict[str, Any]) -> Path:
    """Write a new version directory atomically; refuse to overwrite an existing one."""
    _check_version_name(version)
    root.mkdir(parents=True, exist_ok=True)
    target = root / version
    if target.exists():
        raise ArtifactError(f"{target} already exists; versions are never overwritten")
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=root))
    try:
        joblib.dump(model, staging / MODEL_FILE, compress=3)
        full = {
            **metadata,
            "version": version,
            "model_file": MODEL_FILE,
            "sha256": sha256_of(staging / MODEL_FILE),
            "size_bytes": (staging / MODEL_FILE).stat().st_size,
        }
        (staging / METADATA_FILE).write_text(json.dumps(full, indent=2, sort_keys=True) + "\n")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def read_metadata(root: Path, version: str) -> dict[str, Any]:
    _check_version_name(version)
    path = root / version / METADATA_FILE
    if not (root / version).is_dir():
        known = ", ".join(list_versions(root)) or "none"
        raise ArtifactError(f"no model version {version!r} in {root} (known: {known})")
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtifactError(f"{path}: cannot read metadata: {error}") from None
    if not isinstance(metadata, dict) or "sha256" not in metadata:
        raise ArtifactError(f"{path}: metadata has no sha256 field")
    return metadata


def load_artifact(root: Path, version: str) -> LoadedModel:
    metadata = read_metadata(root, version)
    path = root / version / MODEL_FILE
    if not path.is_file():
        raise ArtifactError(f"{path} is missing")
    actual = sha256_of(path)
    if actual != metadata["sha256"]:
        raise ArtifactError(
            f"{path}: SHA-256 {actual[:16]}... does not match metadata "
            f"{str(metadata['sha256'])[:16]}...; refusing to load a changed file"
        )
    wanted = metadata.get("versions", {}).get("scikit-learn")
    if wanted != sklearn.__version__:
        raise ArtifactError(
            f"{path} was written by scikit-learn {wanted}, this is {sklearn.__version__}; "
            "retrain with `tonecheck train`"
        )
    try:
        model = joblib.load(path)
    except Exception as error:
        raise ArtifactError(f"{path}: cannot load: {type(error).__name__}: {error}") from None
    if not isinstance(model, ToneModel):
        raise ArtifactError(f"{path} holds a {type(model).__name__}, not a ToneModel")
    try:
        check_model(model)
    except ProbeFailure as failure:
        raise ArtifactError(f"{path} must not serve: it {failure}") from None
    return LoadedModel(version, model, metadata)


def list_versions(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def current_version(root: Path) -> str | None:
    """The version CURRENT names; None when there is no CURRENT; `ArtifactError` when it
    cannot be read (not UTF-8, a directory, no permission)."""
    path = root / CURRENT_FILE
    try:
        version = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ArtifactError(f"{path} cannot be read: {error}") from None
    return version or None


def load_version(root: Path, version: str | None = None) -> LoadedModel:
    """`version`, or the one CURRENT names when it is None; `ArtifactError` when there is none."""
    chosen = version or current_version(root)
    if chosen is None:
        raise ArtifactError(f"no CURRENT model in {root}; train one with `tonecheck train`")
    return load_artifact(root, chosen)


def set_current(root: Path, version: str) -> None:
    """Point CURRENT at `version`: write a temporary file, then rename over CURRENT."""
    read_metadata(root, version)
    handle, temporary = tempfile.mkstemp(prefix=".CURRENT.", dir=root)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(version + "\n")
        out.flush()
        os.fsync(out.fileno())
    # The server (perhaps another user) must still read it: keep the old file's mode and
    # owner, or make it readable by all; mkstemp alone would leave 0600 for whoever ran this.
    old = root / CURRENT_FILE
    try:
        status = old.stat()
        os.chmod(temporary, status.st_mode & 0o777)
        if os.geteuid() == 0:
            os.chown(temporary, status.st_uid, status.st_gid)
    except FileNotFoundError:
        os.chmod(temporary, 0o644)
    os.replace(temporary, old)
