"""Errors of the Kling client, and the official error codes with what a user should do.

Every failure of the client is a :class:`KlingError`; its ``str`` is a sentence a user can act on
and never contains a credential or a raw traceback:

* :class:`KlingApiError` — the server answered with a Kling error envelope (kling-api.md §4);
  ``code``, ``http_status``, ``retryable`` and ``message`` come from :data:`CODES`.
* :class:`KlingProtocolError` — the answer was not a Kling envelope (HTML error page, malformed
  JSON, …); the message says what came back.
* :class:`KlingNetworkError` — no answer (connection refused, timeout, dropped connection).
* :class:`CreateOutcomeUnknownError` — a create call may or may not have reached the server; the
  caller must ask by ``external_task_id`` before sending it again.
* :class:`KlingDownloadError` — a result file could not be fetched.
"""

from __future__ import annotations

from dataclasses import dataclass

RETRYABLE_CODES = frozenset({1302, 1303, 5000, 5001, 5002})
REMINT_CODES = frozenset({1003, 1004})


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What an official Kling error code means and what the user should do about it."""

    http_status: int
    retryable: bool
    meaning: str
    action: str


CODES: dict[int, CodeInfo] = {
    1000: CodeInfo(
        401,
        False,
        "authentication failed",
        "Check your Kling API key (or access key and secret key) in Settings.",
    ),
    1001: CodeInfo(
        401,
        False,
        "the Authorization header is empty",
        "No Kling credentials were sent: add an API key in Settings.",
    ),
    1002: CodeInfo(
        401,
        False,
        "the Authorization header is invalid",
        "Kling refused the credentials: paste the API key again, or use an API key "
        "instead of an access key / secret key pair.",
    ),
    1003: CodeInfo(
        401,
        False,
        "token not yet valid",
        "Token not yet valid — re-minted automatically; if it persists, check that "
        "this computer's clock is right.",
    ),
    1004: CodeInfo(
        401,
        False,
        "token expired",
        "Token expired — re-minted automatically; if it persists, check that this "
        "computer's clock is right.",
    ),
    1100: CodeInfo(
        429,
        False,
        "account exception",
        "Kling reports a problem with your account: check it on the Kling developer "
        "console — nothing was charged.",
    ),
    1101: CodeInfo(
        429,
        False,
        "account in arrears",
        "Your Kling account is in arrears: top it up, then resubmit — nothing was charged.",
    ),
    1102: CodeInfo(
        429,
        False,
        "resource pack depleted or expired",
        "Your Kling resource pack is used up or expired: buy units, then resubmit — "
        "nothing was charged.",
    ),
    1103: CodeInfo(
        403,
        False,
        "no permission for this API or model",
        "Your Kling account may not use this model or API: enable it on the Kling "
        "console or choose another model — nothing was charged.",
    ),
    1200: CodeInfo(
        400,
        False,
        "invalid request parameters",
        "Kling rejected the request: fix the storyboard (run Validate) and resubmit "
        "— nothing was charged.",
    ),
    1201: CodeInfo(
        400,
        False,
        "invalid parameter value",
        "Kling rejected a parameter value: fix the storyboard (run Validate) and "
        "resubmit — nothing was charged.",
    ),
    1202: CodeInfo(
        404, False, "invalid request method", "Kling does not offer this call: update Kling Studio."
    ),
    1203: CodeInfo(
        404,
        False,
        "the resource does not exist",
        "Kling does not know this model, task or file: check the model name, or the "
        "task may be older than 30 days.",
    ),
    1300: CodeInfo(
        400,
        False,
        "platform policy triggered",
        "Kling's platform policy refused the request: change the storyboard — nothing was charged.",
    ),
    1301: CodeInfo(
        400,
        False,
        "content-security policy",
        "Content policy: edit the prompt or images, then resubmit — nothing was charged.",
    ),
    1302: CodeInfo(
        429, True, "rate limit", "Kling is rate-limiting requests: the job waits and retries."
    ),
    1303: CodeInfo(
        429,
        True,
        "concurrency over the resource-pack limit",
        "Your resource pack's concurrency limit is reached: the job waits and retries.",
    ),
    1304: CodeInfo(
        429,
        False,
        "IP whitelist policy",
        "Kling refused this network address (IP whitelist): contact Kling support.",
    ),
    5000: CodeInfo(
        500, True, "server error", "Kling had a server error: the job waits and retries."
    ),
    5001: CodeInfo(
        503,
        True,
        "service unavailable",
        "Kling is temporarily unavailable (maintenance): the job waits and retries.",
    ),
    5002: CodeInfo(
        504,
        True,
        "internal timeout",
        "Kling is overloaded (internal timeout): the job waits and retries.",
    ),
}


class KlingError(Exception):
    """Base class of every client error; ``str(err)`` is the user-facing message."""

    retryable: bool = False
    retry_after: float | None = None  # seconds the server asked us to wait (Retry-After)

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class KlingApiError(KlingError):
    """The server answered with a Kling error envelope.

    Attributes:
        code: the official code (0 never appears here).
        http_status: the HTTP status of the answer.
        retryable: whether waiting and sending again can help.
        server_message: Kling's own ``message`` text (may be empty).
        request_id: Kling's ``request_id``, for support tickets.
    """

    def __init__(
        self, code: int, http_status: int, server_message: str = "", request_id: str = ""
    ) -> None:
        info = CODES.get(code)
        self.code = code
        self.http_status = http_status
        self.server_message = _sanitise(server_message, 300)
        self.request_id = _sanitise(request_id, 80)
        self.retryable = info.retryable if info else (http_status >= 500 or http_status == 429)
        action = info.action if info else f"Kling error {code}."
        detail = f" (Kling {code}: {self.server_message})" if self.server_message else f" ({code})"
        super().__init__(action + detail)

    @property
    def meaning(self) -> str:
        info = CODES.get(self.code)
        return info.meaning if info else "unknown error"


class KlingProtocolError(KlingError):
    """The server's answer was not a Kling JSON envelope."""

    def __init__(
        self, what: str, *, http_status: int, content_type: str, head: bytes | str
    ) -> None:
        self.http_status = http_status
        self.content_type = content_type
        self.retryable = http_status >= 500 or http_status == 429
        shown = _sanitise(head if isinstance(head, str) else head.decode("utf-8", "replace"), 120)
        super().__init__(
            f"Kling answered with {what} instead of a Kling JSON reply "
            f"(HTTP {http_status}, {content_type or 'no content type'}): {shown!r}"
        )


class KlingNetworkError(KlingError):
    """No usable answer: the network failed or timed out.

    ``sent`` is False when the request certainly never left (connection refused / timed out
    while connecting), so even a create call may be sent again.
    """

    retryable = True

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent


class CreateOutcomeUnknownError(KlingError):
    """A create call may have reached Kling; ask by ``external_task_id`` before resending."""

    def __init__(self, cause: KlingError) -> None:
        self.cause = cause
        super().__init__(
            "The create request may or may not have reached Kling "
            f"({cause.message}); asking Kling by the job's id before sending anything again."
        )


class KlingDownloadError(KlingError):
    """A result file could not be downloaded.

    ``expired``: the link is gone (ask Kling for a fresh one); ``restart``: the partial file is
    unusable and the next try starts from byte 0.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = False,
        expired: bool = False,
        restart: bool = False,
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.expired = expired
        self.restart = restart


def _sanitise(text: str, limit: int) -> str:
    """Printable single-line excerpt: control characters replaced, length capped."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def sanitise(text: str, limit: int = 120) -> str:
    """Public alias of the excerpt helper (used for download error bodies)."""
    return _sanitise(text, limit)
