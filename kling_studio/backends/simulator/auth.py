"""``Authorization: Bearer …`` checks, answering with Kling's 100x codes (kling-api.md §1, §4).

Two credentials are accepted, like the real ``/v1`` API: the single console API key sent as the
bearer token, or an HS256 JWT whose ``iss`` is the access key, signed with the secret key, with
``exp`` and ``nbf`` checked. Messages never echo the token.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

import jwt

AUTH_FAILED = 1000
AUTH_EMPTY = 1001
AUTH_INVALID = 1002
TOKEN_NOT_YET_VALID = 1003
TOKEN_EXPIRED = 1004


@dataclass(frozen=True)
class AuthError:
    """Why a request was refused (always answered with HTTP 401)."""

    code: int
    message: str


def check_authorization(
    header: str | None, *, api_key: str, access_key: str, secret_key: str
) -> AuthError | None:
    """None when ``header`` carries a valid credential, else the error to answer with."""
    if header is None or not header.strip():
        return AuthError(AUTH_EMPTY, "Authorization is empty: send 'Authorization: Bearer <token>'")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return AuthError(AUTH_INVALID, "Authorization is invalid: expected 'Bearer <token>'")
    if hmac.compare_digest(token.encode(), api_key.encode()):
        return None
    if token.count(".") != 2:
        return AuthError(AUTH_FAILED, "Authentication failed: the API key is not valid")
    return _check_jwt(token, access_key, secret_key)


def _check_jwt(token: str, access_key: str, secret_key: str) -> AuthError | None:
    try:
        claims = jwt.decode(
            token,
            secret_key,
            algorithms=["HS256"],
            options={"require": ["iss", "exp"]},
        )
    except jwt.ExpiredSignatureError:
        return AuthError(TOKEN_EXPIRED, "Authorization token has expired (exp): mint a new one")
    except jwt.ImmatureSignatureError:
        return AuthError(
            TOKEN_NOT_YET_VALID,
            "Authorization token is not yet valid (nbf is in the future): check the clock",
        )
    except jwt.InvalidTokenError:
        return AuthError(
            AUTH_INVALID,
            "Authorization is invalid: the JWT signature or claims do not verify with the "
            "secret key",
        )
    if not hmac.compare_digest(str(claims.get("iss", "")).encode(), access_key.encode()):
        return AuthError(AUTH_FAILED, "Authentication failed: unknown access key (iss)")
    return None
