"""The node audit's schedule: a cron expression, checked here and matched minute by minute in the pod.

The grammar is the subset that `entrypoint.sh` matches in bash (`he_cron_match`), so what config
validation accepts the pod can run: five fields (minute hour day-of-month month day-of-week) of numbers,
`*`, ranges `a-b`, steps `*/n` and `a-b/n`, and comma lists; or one of the macros below. Times are UTC.
As in cron, when both day fields are restricted a day matching either one runs.
"""

from __future__ import annotations

import re

DEFAULT_SCHEDULE = "@daily"
MACROS = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
          "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *"}
FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7))
_ITEM = re.compile(r"^(?:(\*)|(\d+)(?:-(\d+))?)(?:/(\d+))?$")
ALLOWED = ("a cron expression of five fields (minute hour day-of-month month day-of-week; numbers, *, a-b, */n, "
           "a-b/n and comma lists; UTC) or one of " + ", ".join(MACROS))


def schedule_problem(expression: object) -> str | None:
    """Why `expression` is not a schedule the node audit can run, or None."""
    if not isinstance(expression, str) or not expression.strip():
        return "expected a string"
    text = expression.strip()
    if text.startswith("@"):
        return None if text in MACROS else f"unknown macro {text!r}"
    fields = text.split()
    if len(fields) != 5:
        return f"{len(fields)} field(s), cron needs 5"
    for value, (name, low, high) in zip(fields, FIELDS, strict=True):
        for item in value.split(","):
            match = _ITEM.match(item)
            if not match:
                return f"{name} {value!r}: {item!r} is not a number, *, a-b or a step"
            star, first, last, step = match.groups()
            if star is None:
                a, b = int(first), int(last if last is not None else first)
                if not (low <= a <= high and low <= b <= high) or a > b:
                    return f"{name} {value!r}: {item!r} is outside {low}-{high}"
                if step is not None and last is None:
                    return f"{name} {value!r}: a step needs * or a range ({item!r})"
            if step is not None and int(step) == 0:
                return f"{name} {value!r}: a step of 0"
    return None


def normalize(expression: str) -> str:
    """The five-field form the pod matches (macros expanded, single spaces)."""
    text = expression.strip()
    return MACROS.get(text, " ".join(text.split()))


def read_schedule(reader: object, key: str = "nodeAuditSchedule") -> str:
    """The validated schedule from a config reader (`hardened_eks.config._Reader`); a bad one is recorded as
    a problem naming the key, the value and what is allowed, and the default is returned."""
    value = reader.value(key)  # type: ignore[attr-defined]
    if value is None:
        return DEFAULT_SCHEDULE
    problem = schedule_problem(value)
    if problem:
        reader.fail(key, value, f"{problem}; allowed: {ALLOWED}")  # type: ignore[attr-defined]
        return DEFAULT_SCHEDULE
    return " ".join(str(value).split())
