"""Reading and validating JSON request bodies; every failure names the field or limit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from tonecheck.model.types import MAX_TEXT_CHARS
from tonecheck.server.errors import ApiError

# Room for the longest draft even when every character is an emoji that JSON escapes as
# two \uXXXX pairs (12 bytes), plus the other fields.
MAX_BODY_BYTES = 12 * MAX_TEXT_CHARS + 16 * 1024
MAX_INTEGER = 2**31 - 1


@dataclass(frozen=True)
class Field:
    types: tuple[type, ...]
    required: bool = True
    max_length: int | None = None


def _type_name(types: tuple[type, ...]) -> str:
    names = {str: "string", int: "integer", bool: "boolean", float: "number"}
    return " or ".join(names.get(t, t.__name__) for t in types)


async def read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ApiError(
            413,
            "payload_too_large",
            f"body is {int(declared):,} bytes, over the {MAX_BODY_BYTES:,}-byte limit",
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(
                413, "payload_too_large", f"body is over the {MAX_BODY_BYTES:,}-byte limit"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _check_string(name: str, value: str, max_length: int | None) -> None:
    if "\x00" in value:
        raise ApiError(
            422, "invalid_field", f"{name}: contains a NUL character at index {value.index(chr(0))}"
        )
    for index, char in enumerate(value):
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise ApiError(
                422, "invalid_field", f"{name}: contains a lone surrogate at index {index}"
            )
    if max_length is not None and len(value) > max_length:
        raise ApiError(
            422,
            "invalid_field",
            f"{name}: {len(value):,} characters, over the {max_length:,}-character limit",
        )


async def read_json(request: Request, fields: dict[str, Field]) -> dict[str, Any]:
    """The body as a dict holding only `fields`, each of the right type."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            f"Content-Type must be application/json, got {content_type or 'none'!r}",
        )
    raw = await read_body(request)
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(
            400,
            "invalid_utf8",
            f"body is not valid UTF-8: byte {error.start} is 0x{raw[error.start]:02x}",
        ) from None
    try:
        body = json.loads(decoded)
    except json.JSONDecodeError as error:
        raise ApiError(
            400,
            "invalid_json",
            f"body is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}",
        ) from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "body is not valid JSON: nested too deeply") from None
    except ValueError as error:  # an integer of thousands of digits
        raise ApiError(400, "invalid_json", f"body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise ApiError(
            422, "invalid_field", f"body must be a JSON object, got {type(body).__name__}"
        )
    unknown = sorted(body.keys() - fields.keys())
    if unknown:
        raise ApiError(
            422,
            "invalid_field",
            f"unknown field(s): {', '.join(unknown)}; allowed: {', '.join(fields)}",
        )
    for name, spec in fields.items():
        if name not in body:
            if spec.required:
                raise ApiError(422, "invalid_field", f"{name}: missing required field")
            continue
        value = body[name]
        if value is None:
            raise ApiError(
                422,
                "invalid_field",
                f"{name}: must be a {_type_name(spec.types)}, got null (leave it out instead)",
            )
        if not isinstance(value, spec.types) or (
            isinstance(value, bool) and bool not in spec.types
        ):
            raise ApiError(
                422,
                "invalid_field",
                f"{name}: must be a {_type_name(spec.types)}, got {type(value).__name__}",
            )
        if isinstance(value, str):
            _check_string(name, value, spec.max_length)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            raise ApiError(
                422,
                "invalid_field",
                f"{name}: {str(value)[:12]}... is out of range (at most {MAX_INTEGER:,})",
            )
    return body
