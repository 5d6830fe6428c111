"""Where credentials come from: OS keyring first, environment as fallback, no keyring reported."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail

from kling_studio.backends.kling import CredentialsError, KeyringUnavailableError, keyring_status
from kling_studio.backends.kling.credentials import (
    SERVICE,
    clear_keyring,
    load_credentials,
    store_in_keyring,
)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend that keeps passwords in a dict (for tests only)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_environment_api_key_then_access_key_pair(no_keyring: None) -> None:
    creds = load_credentials({"KLINGAI_API_KEY": "env-key"})
    assert creds.kind == "api_key" and creds.authorization() == "Bearer env-key"
    pair = load_credentials({"KLINGAI_ACCESS_KEY": "ak", "KLINGAI_SECRET_KEY": "sk"})
    assert pair.kind == "access_key"


def test_missing_keyring_is_reported_not_crashed_on(no_keyring: None) -> None:
    status = keyring_status()
    assert status.available is False
    assert "No OS keyring is available" in status.detail
    with pytest.raises(CredentialsError) as info:
        load_credentials({})
    message = str(info.value)
    assert "KLINGAI_API_KEY" in message and "No OS keyring is available" in message
    with pytest.raises(KeyringUnavailableError, match="Set KLINGAI_API_KEY"):
        store_in_keyring(api_key="k")


def test_keyring_wins_over_the_environment(memory_keyring: MemoryKeyring) -> None:
    store_in_keyring(access_key="ak-1", secret_key="sk-1")
    creds = load_credentials({"KLINGAI_API_KEY": "env-key"})
    assert creds.kind == "access_key"
    assert memory_keyring.store == {
        (SERVICE, "access_key"): "ak-1",
        (SERVICE, "secret_key"): "sk-1",
    }
    store_in_keyring(api_key="api-2")  # switching kind removes the pair
    assert memory_keyring.store == {(SERVICE, "api_key"): "api-2"}
    assert load_credentials({}).authorization() == "Bearer api-2"
    clear_keyring()
    assert memory_keyring.store == {}
    assert load_credentials({"KLINGAI_API_KEY": "env-key"}).authorization() == "Bearer env-key"


def test_incomplete_pairs_are_not_stored(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(ValueError, match="both an access key and a secret key"):
        store_in_keyring(access_key="only-half")
    assert memory_keyring.store == {}
