"""Client of Kling's official ``/v1`` video API: credentials, typed replies and errors, retries.

Public API::

    from kling_studio.backends.kling import (
        Credentials, KlingClient, RetryPolicy, REGIONS, TaskInfo, VideoResult,
        KlingError, KlingApiError, KlingProtocolError, KlingNetworkError,
        CreateOutcomeUnknownError, KlingDownloadError, load_credentials,
    )
"""

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
