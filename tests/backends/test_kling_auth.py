"""Credentials: the Authorization header of both credential kinds, JWT claims and re-minting."""

from __future__ import annotations

import pickle

import jwt
import pytest

from kling_studio.backends.kling import Credentials

AK = "ak-public-0123456789"
SK = "sk-secret-0123456789abcdef0123456789abcdef"


class Clock:
    """A settable clock (seconds since the epoch)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _claims(header: str) -> dict[str, object]:
    scheme, token = header.split(" ", 1)
    assert scheme == "Bearer"
    return jwt.decode(
        token, SK, algorithms=["HS256"], options={"verify_exp": False, "verify_nbf": False}
    )


def test_api_key_is_sent_as_bearer_token_unchanged() -> None:
    assert Credentials(api_key="key-123").authorization() == "Bearer key-123"


def test_jwt_has_the_official_claims_and_header() -> None:
    clock = Clock()
    header = Credentials(access_key=AK, secret_key=SK, clock=clock).authorization()
    token = header.split(" ", 1)[1]
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = _claims(header)
    assert claims == {"iss": AK, "exp": int(clock.now + 1800), "nbf": int(clock.now - 5)}


def test_jwt_is_cached_then_reminted_when_less_than_five_minutes_remain() -> None:
    clock = Clock()
    creds = Credentials(access_key=AK, secret_key=SK, clock=clock)
    first = creds.authorization()
    clock.now += 1800 - 301  # 301 s left: still fine
    assert creds.authorization() == first
    assert creds.mints == 1
    clock.now += 2  # 299 s left: re-mint
    second = creds.authorization()
    assert second != first
    assert creds.mints == 2
    assert _claims(second)["exp"] == int(clock.now + 1800)


def test_invalidate_forces_a_fresh_jwt_but_not_for_an_api_key() -> None:
    clock = Clock()
    creds = Credentials(access_key=AK, secret_key=SK, clock=clock)
    first = creds.authorization()
    clock.now += 1
    assert creds.invalidate() is True
    assert creds.authorization() != first
    assert Credentials(api_key="k").invalidate() is False


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"access_key": AK}, {"secret_key": SK}, {"api_key": "  "}],
)
def test_incomplete_credentials_are_refused(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="API key, or both an access key and a secret key"):
        Credentials(**kwargs)


def test_repr_str_and_pickle_never_reveal_secrets() -> None:
    for creds in (
        Credentials(api_key="sk-visible-nowhere-42"),
        Credentials(access_key=AK, secret_key=SK),
    ):
        token = creds.authorization().split(" ", 1)[1]
        for text in (repr(creds), str(creds), f"{creds}"):
            assert "sk-visible-nowhere-42" not in text
            assert SK not in text
            assert token not in text
            assert AK not in text
        with pytest.raises(TypeError, match="cannot be pickled"):
            pickle.dumps(creds)


def test_short_secret_keys_work_without_a_warning() -> None:
    # pytest runs with warnings as errors: a PyJWT key-length warning would fail here.
    header = Credentials(access_key=AK, secret_key="short").authorization()
    assert header.startswith("Bearer ey")
