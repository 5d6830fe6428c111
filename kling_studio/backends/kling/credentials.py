"""Where Kling credentials come from: the OS keyring first, environment variables as fallback.

Keyring entries live under the service ``kling-studio`` with the user names ``api_key``,
``access_key`` and ``secret_key``. Environment variables follow the vercel/ai convention:
``KLINGAI_API_KEY``, or ``KLINGAI_ACCESS_KEY`` + ``KLINGAI_SECRET_KEY``. A machine without a
usable keyring (headless Linux has none by default) is reported as such, never crashed on.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass

from kling_studio.backends.kling.auth import Credentials

SERVICE = "kling-studio"
ENV_API_KEY = "KLINGAI_API_KEY"
ENV_ACCESS_KEY = "KLINGAI_ACCESS_KEY"
ENV_SECRET_KEY = "KLINGAI_SECRET_KEY"
_NAMES = ("api_key", "access_key", "secret_key")


class CredentialsError(Exception):
    """No usable credentials, or the keyring could not be used; the message says what to do."""


class KeyringUnavailableError(CredentialsError):
    """The OS keyring has no working backend (or refused access)."""


@dataclass(frozen=True)
class KeyringStatus:
    """Whether the keyring can be used, and why not."""

    available: bool
    detail: str


# ``keyring`` is imported inside the functions that use it: it costs ~25 ms, which the app's
# start should not pay for credentials it reads only when a job is sent.


def _keyring_error(exc: Exception) -> KeyringUnavailableError:
    import keyring.errors

    if isinstance(exc, keyring.errors.NoKeyringError):
        return KeyringUnavailableError(
            "No OS keyring is available on this machine (no Secret Service / Keychain / "
            f"Credential Manager). Set {ENV_API_KEY} in the environment instead."
        )
    return KeyringUnavailableError(
        f"The OS keyring could not be used ({type(exc).__name__}); "
        f"set {ENV_API_KEY} in the environment instead."
    )


def _read_keyring() -> dict[str, str]:
    import keyring.errors

    values: dict[str, str] = {}
    try:
        for name in _NAMES:
            value = keyring.get_password(SERVICE, name)
            if value:
                values[name] = value
    except (keyring.errors.KeyringError, RuntimeError) as exc:
        raise _keyring_error(exc) from None
    return values


def keyring_status() -> KeyringStatus:
    """Probe the keyring without reading any secret."""
    import keyring.errors

    try:
        keyring.get_password(SERVICE, "probe")
    except (keyring.errors.KeyringError, RuntimeError) as exc:
        return KeyringStatus(False, str(_keyring_error(exc)))
    return KeyringStatus(True, f"OS keyring ({type(keyring.get_keyring()).__name__})")


def _from_values(values: Mapping[str, str | None]) -> Credentials | None:
    api_key = values.get("api_key")
    access_key, secret_key = values.get("access_key"), values.get("secret_key")
    if api_key:
        return Credentials(api_key=api_key)
    if access_key and secret_key:
        return Credentials(access_key=access_key, secret_key=secret_key)
    return None


def from_env(env: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials from ``KLINGAI_*`` variables, or None."""
    env = os.environ if env is None else env
    return _from_values(
        {
            "api_key": env.get(ENV_API_KEY),
            "access_key": env.get(ENV_ACCESS_KEY),
            "secret_key": env.get(ENV_SECRET_KEY),
        }
    )


def load_credentials(
    env: Mapping[str, str] | None = None, *, use_keyring: bool = True
) -> Credentials:
    """The credentials to use: keyring entries first, then the environment.

    Raises:
        CredentialsError: none found; the message names every place that was looked at and,
            when the keyring is unusable, says so.
    """
    keyring_note = ""
    if use_keyring:
        try:
            found = _from_values(_read_keyring())
        except KeyringUnavailableError as exc:
            found, keyring_note = None, f" {exc}"
        if found is not None:
            return found
    found = from_env(env)
    if found is not None:
        return found
    raise CredentialsError(
        "No Kling credentials: add an API key in Settings (stored in the OS keyring) or set "
        f"{ENV_API_KEY} (or {ENV_ACCESS_KEY} and {ENV_SECRET_KEY}).{keyring_note}"
    )


def store_in_keyring(
    *, api_key: str | None = None, access_key: str | None = None, secret_key: str | None = None
) -> None:
    """Save credentials in the OS keyring (replacing the other kind).

    Raises:
        KeyringUnavailableError: the keyring cannot store them.
        ValueError: neither an API key nor a complete access key / secret key pair.
    """
    Credentials(api_key=api_key, access_key=access_key, secret_key=secret_key)  # validates
    wanted = {"api_key": api_key, "access_key": access_key, "secret_key": secret_key}
    import keyring.errors

    try:
        for name, value in wanted.items():
            if value:
                keyring.set_password(SERVICE, name, value.strip())
            else:
                _delete(name)
    except (keyring.errors.KeyringError, RuntimeError) as exc:
        raise _keyring_error(exc) from None


def clear_keyring() -> None:
    """Remove every Kling Studio credential from the keyring."""
    import keyring.errors

    try:
        for name in _NAMES:
            _delete(name)
    except (keyring.errors.KeyringError, RuntimeError) as exc:
        raise _keyring_error(exc) from None


def _delete(name: str) -> None:
    import keyring.errors

    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        keyring.delete_password(SERVICE, name)
