"""Test-wide setup: offscreen Qt, an isolated data dir, and no real user state touched."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own data dir, so the ledger/settings of a developer are never used."""
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("KLING_STUDIO_DATA_DIR", str(data))
    monkeypatch.setenv("KLING_STUDIO_CONFIG_DIR", str(data / "config"))
    for var in (
        "KLINGAI_API_KEY",
        "KLINGAI_ACCESS_KEY",
        "KLINGAI_SECRET_KEY",
        "KLING_STUDIO_CRASHPOINT",
    ):
        monkeypatch.delenv(var, raising=False)
    # Never read a developer's real OS keyring from a test.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    yield data


@pytest.fixture(autouse=True)
def _close_leftover_windows(request: pytest.FixtureRequest) -> Iterator[None]:
    """Close top-level widgets a test left open, so one test's window never leaks into the next."""
    yield
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()


@pytest.fixture
def qloop(qapp: object) -> Iterator[object]:
    """A qasync event loop on the test's QApplication (pytest-qt has no asyncio support).

    Use as ``qloop.run_until_complete(scenario())``; inside, ``await asyncio.sleep`` lets Qt
    and asyncio both run. Waiting on Qt signals: connect them to a future and await it.
    """
    import asyncio

    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


async def wait_until(cond: object, timeout: float = 20.0, interval: float = 0.02) -> None:
    """Await until ``cond()`` is true (for use inside a qloop scenario)."""
    import asyncio

    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not cond():  # type: ignore[operator]
        if loop.time() > end:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(interval)
