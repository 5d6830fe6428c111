"""Downloads inside the runner: Range resume, expired links, size cap, atomic final file."""

from __future__ import annotations

from pathlib import Path

from kling_studio.backends.simulator import SimulatorServer
from kling_studio.jobs import DownloadPolicy, Ledger
from kling_studio.jobs.download import paths_for
from tests.backends.kling_support import arun, fast_sim, sha256_file, sim_file, text2video
from tests.jobs.jobs_support import make_runner, submit


def _run_one(ledger: Ledger, sim: SimulatorServer, takes: Path, **kwargs: object) -> int:
    async def scenario() -> int:
        runner = make_runner(ledger, sim, **kwargs)  # type: ignore[arg-type]
        row = await submit(runner, sim, text2video(10), takes)
        await runner.wait([row.id])
        await runner.aclose()
        return row.id

    return arun(scenario())


def test_a_truncated_download_resumes_with_range(ledger: Ledger, takes: Path) -> None:
    with fast_sim() as sim:
        # Every response stops after 15 kB: only resuming where the last one stopped can
        # assemble the ~55 kB video within the 5 tries a download gets.
        sim.faults.truncate_download(count=10, at_bytes=15_000)
        row = ledger.get(_run_one(ledger, sim, takes))
        assert 45_000 < (row.size or 0) <= 75_000
        assert row.state == "downloaded"
        assert row.sha256 == sha256_file(sim_file(sim, row.task_id or ""))
        assert sha256_file(Path(row.download_path or "")) == row.sha256


def test_an_expired_link_is_a_clear_error_and_the_job_stays_resumable(
    ledger: Ledger, takes: Path, sim: SimulatorServer
) -> None:
    sim.faults.expire_results()
    job = _run_one(ledger, sim, takes)
    row = ledger.get(job)
    assert row.state == "succeeded"  # Kling has it; only the link is gone
    assert "expired" in (row.last_error or "")
    assert "30 days" in (row.last_error or "")
    final, _ = paths_for(row)
    assert not final.exists()

    sim.faults.clear()  # e.g. Kling hands out a fresh link

    async def later() -> str:
        runner = make_runner(ledger, sim)
        await runner.resume()
        (done,) = await runner.wait([job])
        await runner.aclose()
        return done.state

    assert arun(later()) == "downloaded"
    assert sim.count_tasks() == 1


def test_the_size_cap_refuses_big_results(
    ledger: Ledger, takes: Path, sim: SimulatorServer
) -> None:
    job = _run_one(ledger, sim, takes, download=DownloadPolicy(max_bytes=10_000))
    row = ledger.get(job)
    assert row.state == "succeeded"
    assert "download limit" in (row.last_error or "")
    assert not any(takes.iterdir())


def test_a_deleted_take_is_fetched_again(ledger: Ledger, takes: Path, sim: SimulatorServer) -> None:
    job = _run_one(ledger, sim, takes)
    path = Path(ledger.get(job).download_path or "")
    sha = ledger.get(job).sha256
    path.unlink()

    async def again() -> None:
        runner = make_runner(ledger, sim)
        await runner.download(job)
        await runner.aclose()

    arun(again())
    assert path.is_file() and sha256_file(path) == sha
    assert ledger.get(job).state == "downloaded"
