"""Fresh ``external_task_id`` values: our own id of every create call.

Kling requires them unique per account; a UUID4 makes a clash practically impossible, and the
``ks-`` prefix tells Kling Studio's tasks apart in the account's task list.
"""

from __future__ import annotations

import uuid

PREFIX = "ks-"


def new_external_task_id() -> str:
    """A new id such as ``ks-3f2b…`` (35 characters)."""
    return f"{PREFIX}{uuid.uuid4().hex}"
