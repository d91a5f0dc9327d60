"""The OpenAPI 3.1 document, kept as YAML beside this module."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def openapi_document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(
        resources.files("tonecheck.server").joinpath("openapi.yaml").read_text("utf-8")
    )
    return loaded
