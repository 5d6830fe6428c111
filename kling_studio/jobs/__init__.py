"""Jobs: the SQLite ledger, the runner (submit, poll, download, resume) and job events.

Public API::

    from kling_studio.jobs import (
        Ledger, JobRow, Runner, PollPolicy, DownloadPolicy, Estimate, JobEvent,
        data_dir, ledger_path, default_takes_dir, new_external_task_id,
    )
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kling_studio.lazy import lazy_getattr

if TYPE_CHECKING:
    from kling_studio.jobs.download import DownloadPolicy
    from kling_studio.jobs.events import EventHub, JobEvent, Subscription
    from kling_studio.jobs.ids import new_external_task_id
    from kling_studio.jobs.ledger import JobRow, Ledger, LedgerError
    from kling_studio.jobs.messages import CANCEL_MESSAGE
    from kling_studio.jobs.paths import data_dir, default_takes_dir, ledger_path
    from kling_studio.jobs.policy import PollPolicy
    from kling_studio.jobs.runner import Estimate, Runner
    from kling_studio.jobs.states import ACTIVE, STATES, TERMINAL, JobState

# The names load on first use (PEP 562): importing ``kling_studio.jobs.ledger`` (the GUI's job
# list) must not drag in the runner, the downloader and the Kling client, which the app's start
# does not need.
_HOMES = {
    "ACTIVE": "states",
    "CANCEL_MESSAGE": "messages",
    "STATES": "states",
    "TERMINAL": "states",
    "DownloadPolicy": "download",
    "Estimate": "runner",
    "EventHub": "events",
    "JobEvent": "events",
    "JobRow": "ledger",
    "JobState": "states",
    "Ledger": "ledger",
    "LedgerError": "ledger",
    "PollPolicy": "policy",
    "Runner": "runner",
    "Subscription": "events",
    "data_dir": "paths",
    "default_takes_dir": "paths",
    "ledger_path": "paths",
    "new_external_task_id": "ids",
}

__all__ = [
    "ACTIVE",
    "CANCEL_MESSAGE",
    "STATES",
    "TERMINAL",
    "DownloadPolicy",
    "Estimate",
    "EventHub",
    "JobEvent",
    "JobRow",
    "JobState",
    "Ledger",
    "LedgerError",
    "PollPolicy",
    "Runner",
    "Subscription",
    "data_dir",
    "default_takes_dir",
    "ledger_path",
    "new_external_task_id",
]


__getattr__ = lazy_getattr(__name__, _HOMES, globals())


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
