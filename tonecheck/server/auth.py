"""Bearer tokens: who is calling, with a short cache so a busy or failing database is not hit per request."""

from __future__ import annotations

import time

from starlette.requests import Request

from tonecheck.server.errors import ApiError
from tonecheck.server.storage import Principal, Storage, hash_token

CACHE_SECONDS = 5.0


class Authenticator:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    def lookup(self, token: str) -> Principal | None:
        key = hash_token(token)
        cached = self._cache.get(key)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            principal = self.storage.principal_for(token)
        except Exception:
            # Storage is down: a token verified before keeps working; a new one cannot be checked.
            if cached:
                return cached[1]
            raise ApiError(
                503, "storage_unavailable", "cannot verify the token: storage is unavailable"
            ) from None
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (time.monotonic(), principal)
        return principal

    def require(self, request: Request, *roles: str) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(
                401,
                "unauthorized",
                "missing Authorization header: send 'Authorization: Bearer <token>'",
                {"WWW-Authenticate": "Bearer"},
            )
        principal = self.lookup(token.strip())
        if principal is None:
            raise ApiError(
                401,
                "unauthorized",
                "the token is not valid or has been revoked",
                {"WWW-Authenticate": "Bearer"},
            )
        if roles and principal.role not in roles:
            raise ApiError(
                403,
                "forbidden",
                f"token {principal.name!r} has role {principal.role!r}; this needs {' or '.join(roles)}",
            )
        return principal
