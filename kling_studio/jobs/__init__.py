"""Jobs: the SQLite ledger, the runner (submit, poll, download, resume) and job events.

Public API::

    from kling_studio.jobs import (
        Ledger, JobRow, Runner, PollPolicy, DownloadPolicy, Estimate, JobEvent,
        data_dir, ledger_path, default_takes_dir, new_external_task_id,
    )
"""

from kling_studio.jobs.download import DownloadPolicy
from kling_studio.jobs.events import EventHub, JobEvent, Subscription
from kling_studio.jobs.ids import new_external_task_id
from kling_studio.jobs.ledger import JobRow, Ledger, LedgerError
from kling_studio.jobs.messages import CANCEL_MESSAGE
from kling_studio.jobs.paths import data_dir, default_takes_dir, ledger_path
from kling_studio.jobs.policy import PollPolicy
from kling_studio.jobs.runner import Estimate, Runner
from kling_studio.jobs.states import ACTIVE, STATES, TERMINAL, JobState

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
