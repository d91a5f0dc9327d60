"""tonecheck's machine-learning core: labeled data, hedge detection, scoring.

Knows nothing of HTTP; `server` imports it, never the reverse.
"""
