"""tonecheck's application: the Starlette app, its storage, reports and the CLI."""
