"""tonecheck: tone feedback for customer-support replies while they are typed.

Four rooms, each importing only the ones before it:
`model` (the ML core: data, hedges, scorer, training), `reports` (the lead's
report, pure), `server` (the Starlette app and its storage) and `cli` (the
`tonecheck` command).
"""
