"""Engine commands: submit a storyboard, list jobs, resume them, download a result.

``kling-studio submit FILE --wait`` works with no account and no network: with the provider
``simulator`` and no ``--base-url`` it starts the offline simulator inside the command. Such a
simulator forgets its tasks when the command ends, so ``--wait`` is implied for it; a finished
result is kept on disk under the data dir.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling_studio.cli import common

if TYPE_CHECKING:
    from kling_studio.jobs import JobRow, Subscription
    from kling_studio.jobs.engine import Engine

EngineBody = Callable[["Engine"], Awaitable[list["JobRow"]]]

EXIT_JOB_FAILED = 3
_WAITED = frozenset({"submitted", "processing", "succeeded", "downloaded", "failed", "unknown"})


def register(sub: Any) -> None:
    p = sub.add_parser("submit", help="generate a storyboard on Kling or the offline simulator")
    p.add_argument("file")
    p.add_argument(
        "--provider",
        choices=["simulator", "kling"],
        default=None,
        help="where to generate (default: the storyboard's provider)",
    )
    p.add_argument("--wait", action="store_true", help="wait for the video and download it")
    p.add_argument("--takes", metavar="DIR", help="where videos go (default: <data dir>/takes)")
    p.add_argument("--base-url", help="API host (a running simulator, or a custom https host)")
    p.add_argument("--region", choices=["global", "beijing"], default="global")
    p.add_argument("--json", action="store_true", help="print the job as JSON at the end")
    p.set_defaults(func=cmd_submit)

    p = sub.add_parser("jobs", help="list the jobs in the ledger")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_jobs)

    p = sub.add_parser("resume", help="pick unfinished jobs back up and fetch their videos")
    p.add_argument("job", nargs="*", type=int, help="job ids (default: every unfinished job)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_resume)

    p = sub.add_parser("download", help="download (again) the video of a finished job")
    p.add_argument("job", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_download)


# ----- submit -----


def _prepare(args: argparse.Namespace) -> tuple[Any, Any, str]:
    """(request, estimate, provider) for the storyboard, or a CliError with the findings."""
    from kling_studio.cli.format import print_findings
    from kling_studio.domain.findings import has_errors
    from kling_studio.domain.pricing import estimate
    from kling_studio.domain.requests import RequestBuildError, build_request
    from kling_studio.domain.rules import check
    from kling_studio.resources import load_catalog, load_providers, load_rate_card

    sb = common.load(args.file)
    provider = args.provider or sb.settings.provider
    if provider not in ("simulator", "kling"):
        raise common.CliError(
            f"submit sends to 'kling' or 'simulator', not {provider!r}; pass --provider"
        )
    catalog = load_catalog()
    findings = list(check(sb, catalog, load_providers().get(provider)))
    if has_errors(findings):
        print_findings(args.file, findings)
        raise common.CliError("not submitted: fix the errors above", common.EXIT_FINDINGS)
    try:
        request = build_request(sb, catalog, media=common.media_resolver(Path(args.file)))
    except RequestBuildError as exc:
        raise common.CliError(f"cannot build the request: {exc}", common.EXIT_FINDINGS) from None
    est = estimate(sb, catalog, load_rate_card(provider))
    price = est.money_display if est.known else f"unknown ({est.reason})"
    units = f" ({est.units:g} units)" if est.units is not None else ""
    _say(f"{sb.title}: {sb.settings.model} · {sb.total} s · estimate {price}{units}")
    return request, est, provider


def _base_url(args: argparse.Namespace, provider: str) -> str:
    from kling_studio.backends.kling import check_base_url, region_url
    from kling_studio.jobs.engine import SIMULATOR_IN_PROCESS

    try:
        if args.base_url:
            return check_base_url(args.base_url)
    except ValueError as exc:
        raise common.CliError(str(exc)) from None
    return SIMULATOR_IN_PROCESS if provider == "simulator" else region_url(args.region)


def cmd_submit(args: argparse.Namespace) -> int:
    from kling_studio.jobs import Estimate, default_takes_dir
    from kling_studio.jobs.engine import SIMULATOR_IN_PROCESS

    request, est, provider = _prepare(args)
    base_url = _base_url(args, provider)
    wait = args.wait or base_url == SIMULATOR_IN_PROCESS
    if wait and not args.wait:
        _say("(the in-process simulator stops with this command, so it waits for the video)")
    takes = Path(args.takes).resolve() if args.takes else default_takes_dir()
    estimate = Estimate(est.units, est.money, est.currency) if est.known else Estimate()

    async def run(engine: Engine) -> list[JobRow]:
        row = await engine.runner.submit(
            request,
            provider=provider,
            base_url=base_url,
            takes_dir=takes,
            project_ref=str(Path(args.file).resolve()),
            estimate=estimate,
        )
        _say(f"Job {row.id} journalled (id {row.external_task_id}).")
        if wait:
            return await engine.runner.wait([row.id])
        return [await _until_sent(engine, row.id)]

    rows = _run_engine(run, credentials_needed=base_url != SIMULATOR_IN_PROCESS)
    return _report(rows, args.json, waited=wait)


async def _until_sent(engine: Engine, job_id: int) -> JobRow:
    """Wait until Kling has the job (or refused it), then stop watching (Resume continues)."""
    while engine.ledger.get(job_id).state not in _WAITED and job_id in engine.runner.running():
        await asyncio.sleep(0.05)
    row = engine.ledger.get(job_id)
    if row.state not in ("failed", "downloaded"):
        _say("Not waiting for the video: run `kling-studio resume` to fetch it.")
    return row


# ----- jobs, resume, download -----


def cmd_jobs(args: argparse.Namespace) -> int:
    from kling_studio.jobs import Ledger, ledger_path

    with Ledger(ledger_path()) as ledger:
        rows = ledger.jobs()
    if args.json:
        common.emit_json([_row_json(r) for r in rows])
        return 0
    if not rows:
        print("No jobs yet. `kling-studio submit FILE --wait` generates one.")
        return 0
    print(
        f"{'ID':>4}  {'STATE':<17} {'MODEL':<15} {'TOTAL':>5}  {'ESTIMATE → CHARGED':<22} "
        f"{'AGE':>6}  FILE"
    )
    now = time.time()
    for r in rows:
        total = f"{r.total_seconds} s" if r.total_seconds else "—"
        est = f"{r.estimate_units:g} u" if r.estimate_units is not None else "—"
        charged = f"{r.final_unit_deduction} u" if r.final_unit_deduction else "—"
        shown = r.download_path or r.project_ref or ""
        print(
            f"{r.id:>4}  {r.state:<17} {r.model:<15} {total:>5}  {est + ' → ' + charged:<22} "
            f"{_age(now - r.created):>6}  {shown}"
        )
    return 0


def cmd_resume(args: argparse.Namespace) -> int:
    async def run(engine: Engine) -> list[JobRow]:
        ids = await engine.runner.resume(args.job or None)
        if not ids:
            _say("Nothing to resume.")
            return [engine.ledger.get(i) for i in args.job] if args.job else []
        return list(await engine.runner.wait(ids))

    return _report(_run_engine(run), args.json, waited=True)


def cmd_download(args: argparse.Namespace) -> int:
    async def run(engine: Engine) -> list[JobRow]:
        row = engine.ledger.get(args.job)
        if row.state not in ("succeeded", "downloaded", "cancelled_locally"):
            raise common.CliError(
                f"job {row.id} is {row.state}; only a finished job has a "
                "video (`kling-studio resume` follows unfinished ones)"
            )
        return [await engine.runner.download(args.job)]

    return _report(_run_engine(run), args.json, waited=True)


# ----- plumbing -----


def _run_engine(body: EngineBody, *, credentials_needed: bool = False) -> list[JobRow]:
    from kling_studio.backends.kling import CredentialsError, load_credentials
    from kling_studio.jobs import LedgerError
    from kling_studio.jobs.engine import Engine

    if credentials_needed:
        try:
            load_credentials()
        except CredentialsError as exc:
            raise common.CliError(str(exc)) from None

    async def main() -> list[JobRow]:
        engine = Engine(simulator_options={"render": True})
        printer = asyncio.create_task(_print_events(engine.runner.events()))
        try:
            return await body(engine)
        finally:
            await engine.aclose()
            await printer

    try:
        return asyncio.run(main())
    except LedgerError as exc:
        raise common.CliError(str(exc)) from None


async def _print_events(events: Subscription) -> None:
    last: dict[int, float] = {}
    async for ev in events:
        if ev.kind == "progress":
            step = int((ev.progress or 0) * 4) / 4
            if last.get(ev.job_id, -1) >= step:
                continue
            last[ev.job_id] = step
        _say(f"  job {ev.job_id}: {ev.message}")


def _report(rows: list[JobRow], as_json: bool, *, waited: bool) -> int:
    if as_json:
        common.emit_json(_row_json(rows[0]) if len(rows) == 1 else [_row_json(r) for r in rows])
    else:
        for r in rows:
            where = f" → {r.download_path}" if r.download_path else ""
            note = f" ({r.last_error})" if r.last_error and r.state != "downloaded" else ""
            print(f"Job {r.id}: {r.state}{where}{note}")
    ok = {"downloaded"} if waited else _WAITED - {"failed"}
    return 0 if all(r.state in ok for r in rows) else EXIT_JOB_FAILED


def _row_json(r: JobRow) -> dict[str, Any]:
    return {
        "id": r.id,
        "state": r.state,
        "message": r.state_msg,
        "provider": r.provider,
        "endpoint": r.endpoint,
        "model": r.model,
        "total_seconds": r.total_seconds,
        "external_task_id": r.external_task_id,
        "task_id": r.task_id,
        "estimate_units": r.estimate_units,
        "estimate_money": r.estimate_money,
        "currency": r.currency,
        "charged_units": r.final_unit_deduction,
        "download_path": r.download_path,
        "size": r.size,
        "sha256": r.sha256,
        "last_error": r.last_error,
        "created": r.created,
        "project": r.project_ref,
    }


def _age(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
