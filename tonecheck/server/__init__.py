"""The Starlette app the extension talks to: API, auth, storage, scoring processes,
report pages. Built by one `create_app()`."""
