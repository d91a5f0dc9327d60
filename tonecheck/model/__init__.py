"""tonecheck's machine-learning core: labeled data, hedge detection, scoring, training.

Knows nothing of HTTP, SQL or the command line; every other room imports it,
never the reverse.
"""
