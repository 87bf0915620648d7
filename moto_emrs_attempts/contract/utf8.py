"""Text UTF-8 cannot encode: surrogate code points (U+D800 to U+DFFF).

A JSON string can carry one as an escape (`"\\ud800"`) and a Python string can hold one, but
no log, S3 object, CloudWatch event or state file can store it. Every string the plugin keeps
passes `storable` where it is validated (the model's string checks; `contract.shape_checks.check_text` for
log contents, names and messages the model does not cover), so such text is refused before
anything is created; error messages quote it `printable`, and the state file's encoder
(`utf8`) is total all the same.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
#: The clause's constraint, in AWS's form (`Value ... failed to satisfy constraint: ...`).
CONSTRAINT = "Member must not contain surrogate code points (U+D800-U+DFFF)"


def storable(text: str) -> bool:
    """Whether UTF-8 can encode `text` (O(1) for ASCII text, the common case)."""
    return text.isascii() or _SURROGATE.search(text) is None


def printable(text: str) -> str:
    """`text` with each surrogate written as its escape (`\\ud800`), so that an error message
    quoting it can be printed, logged and encoded."""
    if storable(text):
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def surrogate_at(text: str) -> str | None:
    """Where UTF-8 cannot encode `text` ("U+D800 at character 4"), or None when it can."""
    if storable(text):
        return None
    found = _SURROGATE.search(text)
    return None if found is None else f"U+{ord(found[0]):04X} at character {found.start()}"


def utf8(text: str) -> bytes:
    """`text` in UTF-8, each surrogate (which no validated input holds) replaced by U+FFFD, so
    that what is written can always be read back."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")
