"""Kling credentials and the ``Authorization`` header they produce.

Two kinds exist (kling-api.md §1): a console **API key** sent as ``Bearer <key>``, and the older
**access key + secret key** pair, from which a short-lived HS256 JWT is minted
(``iss`` = access key, ``exp`` = now + 1800 s, ``nbf`` = now - 5 s). The JWT is cached and
re-minted when less than five minutes remain, or at once after the server says it expired.

Secrets never leave this object except inside the header value: ``repr``/``str`` show only the
kind of credential and a short fingerprint of the *public* part.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable

TOKEN_TTL = 1800.0
REFRESH_MARGIN = 300.0
NBF_SKEW = 5.0


class Credentials:
    """An API key, or an access key + secret key pair, that signs Kling requests.

    Args:
        api_key: a console API key (sent as is).
        access_key: the access key (the JWT's ``iss``); needs ``secret_key``.
        secret_key: the secret key that signs the JWT.
        ttl: JWT lifetime in seconds (tests shorten it).
        refresh_margin: re-mint when fewer seconds than this remain.
        clock: returns the current Unix time (tests inject a skewed clock).
    """

    __slots__ = (
        "_access_key",
        "_api_key",
        "_clock",
        "_exp",
        "_lock",
        "_margin",
        "_secret_key",
        "_token",
        "_ttl",
        "mints",
    )

    def __init__(
        self,
        *,
        api_key: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        ttl: float = TOKEN_TTL,
        refresh_margin: float = REFRESH_MARGIN,
        clock: Callable[[], float] = time.time,
    ) -> None:
        api_key = (api_key or "").strip() or None
        access_key = (access_key or "").strip() or None
        secret_key = (secret_key or "").strip() or None
        if api_key is None and (access_key is None or secret_key is None):
            raise ValueError(
                "Kling credentials need either an API key, or both an access key and a secret key"
            )
        self._api_key = api_key
        self._access_key = access_key
        self._secret_key = secret_key
        self._ttl = ttl
        self._margin = refresh_margin
        self._clock = clock
        self._token: str | None = None
        self._exp = 0.0
        self._lock = threading.Lock()
        self.mints = 0  # how many JWTs were minted (observable by tests and diagnostics)

    @property
    def kind(self) -> str:
        """``"api_key"`` or ``"access_key"``."""
        return "api_key" if self._api_key is not None else "access_key"

    def secrets(self) -> tuple[str, ...]:
        """Every secret string this object holds, including the current JWT (for redaction)."""
        values = (self._api_key, self._secret_key, self._token)
        return tuple(v for v in values if v)

    def authorization(self) -> str:
        """The ``Authorization`` header value, minting a fresh JWT when needed."""
        if self._api_key is not None:
            return f"Bearer {self._api_key}"
        with self._lock:
            now = self._clock()
            if self._token is None or self._exp - now < self._margin:
                self._mint(now)
            assert self._token is not None
            return f"Bearer {self._token}"

    def invalidate(self) -> bool:
        """Forget the cached JWT after the server refused it; False when re-minting cannot help."""
        if self._api_key is not None:
            return False
        with self._lock:
            self._token = None
            self._exp = 0.0
        return True

    def _mint(self, now: float) -> None:
        assert self._access_key is not None and self._secret_key is not None
        exp = int(now + self._ttl)
        payload = {"iss": self._access_key, "exp": exp, "nbf": int(now - NBF_SKEW)}
        # PyJWT (and the cryptography it loads) costs ~60 ms: only access-key users pay for it.
        import jwt

        with warnings.catch_warnings():
            # The key is the one Kling issued; a length warning would only alarm the user.
            warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
            self._token = jwt.encode(
                payload, self._secret_key, algorithm="HS256", headers={"typ": "JWT"}
            )
        self._exp = float(exp)
        self.mints += 1

    def __repr__(self) -> str:
        if self._api_key is not None:
            return "Credentials(api_key=<hidden>)"
        return f"Credentials(access_key={_fingerprint(self._access_key)}, secret_key=<hidden>)"

    __str__ = __repr__

    def __reduce__(self) -> str | tuple[object, ...]:
        # Pickling would write the secrets wherever the pickle goes.
        raise TypeError("Credentials cannot be pickled")


def _fingerprint(value: str | None) -> str:
    """The first and last two characters of a public id, enough to tell two keys apart."""
    if not value:
        return "<none>"
    if len(value) <= 6:
        return "<hidden>"
    return f"{value[:2]}…{value[-2:]}"
