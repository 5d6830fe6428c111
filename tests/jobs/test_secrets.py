"""Secrets never leak: not into logs, the ledger, exception messages, written files or CLI output.

Flows run with known credentials of both kinds (an API key, and an access key + secret key whose
JWTs are recorded as they are minted), including error paths, with every logger at DEBUG.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from kling_studio.backends.kling import Credentials, KlingClient, KlingError
from kling_studio.backends.simulator import SimulatorServer
from kling_studio.cli.main import main as cli_main
from kling_studio.domain.document import dump_storyboard_text
from kling_studio.domain.storyboard import Storyboard
from kling_studio.jobs import Ledger
from tests.backends.kling_support import FAST_RETRY, arun, fast_sim, text2video
from tests.jobs.jobs_support import FAST_DOWNLOAD, FAST_POLL

API_KEY = "sim-APIKEY-6f1d9c2ab7e04c55a1d2e3f4"
ACCESS_KEY = "ak-ACCESS-1b2c3d4e5f"
SECRET_KEY = "sk-SECRET-0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d"
WRONG_KEY = "sk-WRONG-never-valid-55aa66bb"


class RecordingCredentials(Credentials):
    """Credentials that remember every JWT they mint (so the test can look for them)."""

    minted: list[str]

    def _mint(self, now: float) -> None:
        super()._mint(now)
        self.minted.append(self._token or "")


def _secrets(creds: list[RecordingCredentials]) -> list[str]:
    tokens = [t for c in creds for t in c.minted]
    assert tokens, "the JWT path was not exercised"
    return [API_KEY, SECRET_KEY, WRONG_KEY, *tokens]


def _assert_absent(text: str | bytes, secrets: list[str], where: str) -> None:
    data = text.encode() if isinstance(text, str) else text
    for secret in secrets:
        assert secret.encode() not in data, f"a secret leaked into {where}"


def _all_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def sim() -> SimulatorServer:
    with fast_sim(api_key=API_KEY, access_key=ACCESS_KEY, secret_key=SECRET_KEY) as server:
        yield server  # type: ignore[misc]


def test_no_secret_in_logs_ledger_files_or_errors(
    sim: SimulatorServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    calls = iter(range(1_000_000))
    jwt_creds = RecordingCredentials(  # the first JWT is minted an hour in the past: expired
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        clock=lambda: time.time() - (3600 if next(calls) == 0 else 0),
    )
    jwt_creds.minted = []
    api_creds = Credentials(api_key=API_KEY)
    errors: list[str] = []

    async def scenario() -> None:
        from kling_studio.jobs import Runner

        with Ledger(tmp_path / "ledger.sqlite3") as ledger:
            for creds in (api_creds, jwt_creds):
                runner = Runner(
                    ledger,
                    lambda p, b, c=creds: KlingClient(b, c, retry=FAST_RETRY),  # type: ignore[misc]
                    poll=FAST_POLL,
                    download=FAST_DOWNLOAD,
                )
                sim.faults.html_error(count=1, endpoint="query")
                sim.faults.malformed_json(count=1, endpoint="query")
                sim.faults.truncate_download(count=1, at_bytes=5000)
                row = await runner.submit(
                    text2video(),
                    provider="kling",
                    base_url=sim.base_url,
                    takes_dir=tmp_path / "takes",
                )
                await runner.wait([row.id])
                await runner.aclose()
                assert ledger.get(row.id).state == "downloaded"
            errors.extend(r.last_error or "" for r in ledger.jobs())
            errors.extend(h.detail for r in ledger.jobs() for h in ledger.history(r.id))
        for bad in (
            Credentials(api_key=WRONG_KEY),
            RecordingCredentials(access_key=ACCESS_KEY, secret_key=WRONG_KEY * 2),
        ):
            if isinstance(bad, RecordingCredentials):
                bad.minted = []
                jwt_creds.minted.extend(bad.minted)
            async with KlingClient(sim.base_url, bad, retry=FAST_RETRY) as client:
                try:
                    await client.create(text2video())
                except KlingError as exc:
                    errors.append(str(exc))
                    errors.append(repr(exc))
            if isinstance(bad, RecordingCredentials):
                jwt_creds.minted.extend(bad.minted)
        errors.append(repr(jwt_creds))
        errors.append(repr(KlingClient(sim.base_url, jwt_creds)))

    arun(scenario())
    secrets = _secrets([jwt_creds])
    assert len(jwt_creds.minted) >= 3  # expired one, its re-mint, the wrong-key one
    _assert_absent(caplog.text, secrets, "the logs")
    for record in caplog.records:
        _assert_absent(record.getMessage(), secrets, "a log record")
    for err in errors:
        _assert_absent(err, secrets, "an error message")
    files = _all_files(tmp_path)
    assert any(p.name.startswith("ledger.sqlite3") for p in files)
    assert any(p.suffix == ".mp4" for p in files)
    for path in files:
        _assert_absent(path.read_bytes(), secrets, str(path))


def test_no_secret_in_cli_output(
    sim: SimulatorServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KLINGAI_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("KLINGAI_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    board = tmp_path / "board.json"
    board.write_text(
        dump_storyboard_text(
            Storyboard.model_validate(
                {
                    "settings": {"model": "kling-v3", "provider": "simulator"},
                    "total": 5,
                    "shots": [{"id": "a", "prompt": "Waves.", "duration": 5}],
                }
            )
        ),
        encoding="utf-8",
    )
    args = ["submit", str(board), "--base-url", sim.base_url, "--wait", "--json"]
    assert cli_main(args) == 0
    assert cli_main(["jobs"]) == 0
    assert cli_main(["jobs", "--json"]) == 0
    monkeypatch.setenv("KLINGAI_SECRET_KEY", WRONG_KEY)
    assert cli_main(args) != 0  # refused: the output explains, without the key
    out = capsys.readouterr()
    _assert_absent(out.out + out.err, [API_KEY, SECRET_KEY, WRONG_KEY], "the CLI output")
    assert "Kling refused the credentials" in out.out + out.err or "API key" in out.out + out.err
