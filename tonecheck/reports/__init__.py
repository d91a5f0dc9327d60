"""The team lead's report: figures from a list of checks, their tables, charts and pages.

Pure: it knows no database and no HTTP. The server feeds it stored checks,
`tonecheck report` feeds it scored rows of an export.
"""
