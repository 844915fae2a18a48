"""CIS hardening content: catalogues of controls as data, rendered into one bash script per benchmark and level."""

from hardening.catalog import BENCHMARKS, Control, known_ids, load_catalog, summarize

__all__ = ["BENCHMARKS", "Control", "known_ids", "load_catalog", "summarize"]
