"""Client of Kling's official ``/v1`` video API: credentials, typed replies and errors, retries.

Public API::

    from kling_studio.backends.kling import (
        Credentials, KlingClient, RetryPolicy, REGIONS, TaskInfo, VideoResult,
        KlingError, KlingApiError, KlingProtocolError, KlingNetworkError,
        CreateOutcomeUnknownError, KlingDownloadError, load_credentials,
    )
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kling_studio.backends.kling.auth import Credentials
    from kling_studio.backends.kling.client import (
        REGIONS,
        CreateRequest,
        KlingClient,
        check_base_url,
        region_url,
    )
    from kling_studio.backends.kling.credentials import (
        CredentialsError,
        KeyringUnavailableError,
        keyring_status,
        load_credentials,
    )
    from kling_studio.backends.kling.errors import (
        CODES,
        CreateOutcomeUnknownError,
        KlingApiError,
        KlingDownloadError,
        KlingError,
        KlingNetworkError,
        KlingProtocolError,
    )
    from kling_studio.backends.kling.models import DownloadResult, TaskInfo, VideoResult
    from kling_studio.backends.kling.retry import RetryPolicy

# The names load on first use (PEP 562), so importing one of them pulls in only its own module:
# the errors or the credentials do not cost the ~150 ms of httpx and the response models.
_HOMES = {
    "CODES": "errors",
    "REGIONS": "client",
    "CreateOutcomeUnknownError": "errors",
    "CreateRequest": "client",
    "Credentials": "auth",
    "CredentialsError": "credentials",
    "DownloadResult": "models",
    "KeyringUnavailableError": "credentials",
    "KlingApiError": "errors",
    "KlingClient": "client",
    "KlingDownloadError": "errors",
    "KlingError": "errors",
    "KlingNetworkError": "errors",
    "KlingProtocolError": "errors",
    "RetryPolicy": "retry",
    "TaskInfo": "models",
    "VideoResult": "models",
    "check_base_url": "client",
    "keyring_status": "credentials",
    "load_credentials": "credentials",
    "region_url": "client",
}

__all__ = [
    "CODES",
    "REGIONS",
    "CreateOutcomeUnknownError",
    "CreateRequest",
    "Credentials",
    "CredentialsError",
    "DownloadResult",
    "KeyringUnavailableError",
    "KlingApiError",
    "KlingClient",
    "KlingDownloadError",
    "KlingError",
    "KlingNetworkError",
    "KlingProtocolError",
    "RetryPolicy",
    "TaskInfo",
    "VideoResult",
    "check_base_url",
    "keyring_status",
    "load_credentials",
    "region_url",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
