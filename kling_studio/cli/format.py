"""Human-readable rendering of findings, estimates and catalog entries for the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kling_studio.domain.catalog import ModelEntry, Parameter
from kling_studio.domain.findings import Finding
from kling_studio.domain.storyboard import Storyboard

if TYPE_CHECKING:
    from kling_studio.domain.pricing import Estimate


def print_findings(name: str, findings: list[Finding]) -> None:
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if not findings:
        print(f"{name}: OK — nothing the API would reject.")
        return
    print(f"{name}: {errors} error(s), {warnings} warning(s)")
    for f in findings:
        mark = "✗" if f.severity == "error" else "!"
        print(f"  {mark} {f.code} {f.path}: {f.message}")
        if f.fix is not None:
            print(f"      fix: {f.fix.label}")


def _money(value: float | None, currency: str) -> str:
    if value is None:
        return "—"
    return f"${value:,.2f}" if currency == "USD" else f"{value:,.2f} {currency}"


def _units(value: float | None) -> str:
    return "—" if value is None else f"{value:g} units"


def estimate_to_json(est: Estimate, provider: str) -> dict[str, Any]:
    data: dict[str, Any] = est.model_dump(mode="json")
    data["provider"] = provider
    return data


def print_estimate(sb: Storyboard, est: Estimate, provider: str, findings: list[Finding]) -> None:
    s = sb.settings
    sound = "audio on" if s.sound else "audio off"
    print(f"{sb.title}: {s.model} · {s.mode} · {sound} · {sb.total} s · {len(sb.shots)} shot(s)")
    print(f"Provider: {provider}")
    if not est.known:
        print(f"Price: no price known — {est.reason}")
    else:
        units = f" ({_units(est.units)})" if est.units is not None else ""
        print(f"Price: {est.money_display}{units}")
        for line in est.lines:
            note = f"  [{line.note}]" if line.note else ""
            print(f"  {line.label}{note}")
    if est.what_ifs:
        print("What if:")
        for w in est.what_ifs:
            sign = "+" if w.delta_money > 0 else "−"
            delta = f"{sign}{_money(abs(w.delta_money), est.currency)}"
            print(f"  {w.label}: {delta} → {_money(w.new_total, est.currency)}")
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        print(
            f"Not submittable yet: {len(errors)} error(s); run `kling-studio validate` for details."
        )


def print_models(models: list[ModelEntry]) -> None:
    width = max((len(m.qualified_id) for m in models), default=10)
    print(f"{'ID':<{width}}  {'NAME':<34} {'INPUT':<10} PARAMS")
    for m in models:
        print(f"{m.qualified_id:<{width}}  {m.name:<34} {m.input_type:<10} {len(m.parameters)}")
    print(f"\n{len(models)} models. `kling-studio models ID` shows one; --json for machines.")


def _values(p: Parameter) -> str:
    parts: list[str] = []
    if p.values:
        shown = [v.value if v.label == v.value else f"{v.value} ({v.label})" for v in p.values[:12]]
        more = f" … +{len(p.values) - 12}" if len(p.values) > 12 else ""
        parts.append(" · ".join(shown) + more)
    if p.minimum is not None or p.maximum is not None:
        step = f", step {p.step:g}" if p.step is not None else ""
        parts.append(
            f"{p.minimum:g}–{p.maximum:g}{step}"
            if p.minimum is not None and p.maximum is not None
            else f"min {p.minimum} max {p.maximum}{step}"
        )
    if p.max_chars:
        parts.append(f"≤{p.max_chars} chars")
    if p.max_items:
        parts.append(f"up to {p.max_items}")
    if p.file_kinds:
        parts.append("/".join(p.file_kinds))
    if p.default is not None:
        parts.append(f"default {p.default}")
    if p.required:
        parts.append("required")
    return "; ".join(parts)


def print_model(m: ModelEntry) -> None:
    print(f"{m.name}  [{m.qualified_id}]")
    print(f"  family {m.family} · input {m.input_type} · {', '.join(m.capabilities)}")
    if m.kling is not None:
        eps = ", ".join(f"/v1/videos/{e}" for e in m.kling.endpoints)
        print(f"  Kling API: model_name {m.kling.model_name} on {eps}")
    if m.description:
        print(f"  {m.description}")
    width = max((len(p.name) for p in m.parameters), default=8)
    for p in m.parameters:
        flag = f" {p.cli_flag}" if p.cli_flag else ""
        print(f"  {p.name:<{width}} {p.type:<12}{flag}  {_values(p)}")
    for note in m.constraints.notes:
        print(f"  note: {note}")
