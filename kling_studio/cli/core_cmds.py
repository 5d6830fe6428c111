"""Headless commands on storyboard files: validate, estimate, request, models, schema."""

from __future__ import annotations

import argparse
from typing import Any

from kling_studio.cli import common
from kling_studio.cli.format import (
    estimate_to_json,
    print_estimate,
    print_findings,
    print_model,
    print_models,
)
from kling_studio.domain.catalog import Catalog
from kling_studio.domain.findings import Finding, has_errors
from kling_studio.domain.storyboard import Storyboard


def _provider_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--provider",
        default=None,
        help="check/price for this provider (kling, simulator, fal, picsart, scenario, replicate, "
        "piapi, freepik); default: the storyboard's own setting",
    )


def register(sub: Any) -> None:
    p = sub.add_parser("validate", help="list what the API would reject (exit 1 on errors)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    _provider_arg(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("estimate", help="price a storyboard, with a breakdown and what-ifs")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.add_argument("--rate-card", metavar="JSON", help="a rate-card override file")
    _provider_arg(p)
    p.set_defaults(func=cmd_estimate)

    p = sub.add_parser("request", help="print the exact endpoint and JSON body that would be sent")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print only the JSON (endpoint + body)")
    p.add_argument("--external-task-id", default=None)
    _provider_arg(p)
    p.set_defaults(func=cmd_request)

    p = sub.add_parser("models", help="list the model catalog, or show one model")
    p.add_argument("id", nargs="?", help="model id (kling-v3, scenario:model_kling-v3-t2v-pro …)")
    p.add_argument("--surface", choices=["kling", "picsart", "scenario"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("schema", help="print the JSON schema of the storyboard file format")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("simulator", help="run the offline Kling API simulator on 127.0.0.1")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--data-dir", default=None, help="where rendered results are kept")
    p.set_defaults(func=cmd_simulator)


def _catalog() -> Catalog:
    from kling_studio.resources import load_catalog

    return load_catalog()


def _check(sb: Storyboard, provider: str | None) -> list[Finding]:
    from kling_studio.domain.rules import check
    from kling_studio.resources import load_providers

    name = provider or sb.settings.provider
    profiles = load_providers()
    try:
        profile = profiles.get(name)
    except KeyError:
        raise common.CliError(
            f"unknown provider {name!r}; known: {', '.join(profiles.names())}"
        ) from None
    return list(check(sb, _catalog(), profile))


def cmd_validate(args: argparse.Namespace) -> int:
    sb = common.load(args.file)
    findings = _check(sb, args.provider)
    if args.json:
        common.emit_json(
            {
                "file": args.file,
                "ok": not has_errors(findings),
                "findings": [f.model_dump(mode="json") for f in findings],
            }
        )
    else:
        print_findings(args.file, findings)
    return common.EXIT_FINDINGS if has_errors(findings) else 0


def cmd_estimate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kling_studio.domain.pricing import estimate
    from kling_studio.resources import load_rate_card

    sb = common.load(args.file)
    provider = args.provider or sb.settings.provider
    override = Path(args.rate_card) if args.rate_card else None
    if override is not None and not override.is_file():
        raise common.CliError(f"rate-card override {override}: no such file")
    try:
        card = load_rate_card(provider, override)
    except ValueError as exc:
        raise common.CliError(f"rate-card override {override}: {exc}") from None
    est = estimate(sb, _catalog(), card)
    findings = _check(sb, args.provider)
    if args.json:
        common.emit_json(
            estimate_to_json(est, provider)
            | {"errors": sum(f.severity == "error" for f in findings)}
        )
    else:
        print_estimate(sb, est, provider, findings)
    return common.EXIT_FINDINGS if has_errors(findings) else 0


def cmd_request(args: argparse.Namespace) -> int:
    from kling_studio.domain.requests import RequestBuildError, build_request

    sb = common.load(args.file)
    findings = _check(sb, args.provider)
    from pathlib import Path

    try:
        req = build_request(
            sb,
            _catalog(),
            external_task_id=args.external_task_id,
            media=common.media_resolver(Path(args.file)),
        )
    except RequestBuildError as exc:
        raise common.CliError(f"cannot build the request: {exc}", common.EXIT_FINDINGS) from None
    if args.json:
        common.emit_json({"method": "POST", "path": req.path, "body": req.body})
    else:
        import json

        print(f"POST {req.path}")
        shown = common.shorten_inline_media(req.body)
        print(json.dumps(shown, indent=2, ensure_ascii=False))
        if shown != req.body:
            print("(inlined images shortened for display; --json prints them in full)")
        if findings:
            print()
            print_findings(args.file, findings)
    return common.EXIT_FINDINGS if has_errors(findings) else 0


def cmd_models(args: argparse.Namespace) -> int:
    catalog = _catalog()
    if args.id is None:
        models = [m for m in catalog if args.surface in (None, m.surface)]
        if args.json:
            common.emit_json([m.model_dump(mode="json", exclude_defaults=True) for m in models])
        else:
            print_models(models)
        return 0
    found = [m for m in catalog.find(args.id) if args.surface in (None, m.surface)]
    if not found:
        raise common.CliError(f"no model {args.id!r}; run `kling-studio models` for the list")
    if args.json:
        dumped = [m.model_dump(mode="json", exclude_defaults=True) for m in found]
        common.emit_json(dumped[0] if len(dumped) == 1 else dumped)
    else:
        for i, m in enumerate(found):
            if i:
                print()
            print_model(m)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from kling_studio.domain.document import json_schema

    common.emit_json(json_schema())
    return 0


def cmd_simulator(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kling_studio.backends.simulator import run_simulator

    run_simulator(args.host, args.port, data_dir=Path(args.data_dir) if args.data_dir else None)
    return 0
