"""The chaos test's report: what was injected (fault | when | recovery seen), what was
checked (check | expected | observed | pass) and the traffic's figures, as plain-text
tables printed to stdout and written to var/chaos/report-<scale>.txt."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

from chaos_checks import Check
from chaos_faults import FaultRecord

from rasa_bot.stack import ROOT

REPORT_DIR = ROOT / "var" / "chaos"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> str:
    """Columns of at most `widths` characters, long cells wrapped."""
    cols = [
        min(w, max([len(h)] + [len(r[k]) for r in rows]))
        for k, (h, w) in enumerate(zip(headers, widths, strict=True))
    ]

    def line(cells: Sequence[str]) -> list[str]:
        wrapped = [textwrap.wrap(c, cols[k]) or [""] for k, c in enumerate(cells)]
        height = max(len(w) for w in wrapped)
        return [
            " | ".join(
                (w[i] if i < len(w) else "").ljust(cols[k]) for k, w in enumerate(wrapped)
            ).rstrip()
            for i in range(height)
        ]

    out = line(headers)
    out.append("-+-".join("-" * c for c in cols))
    for r in rows:
        out.extend(line(r))
    return "\n".join(out)


def render(
    scale: str,
    faults: Sequence[FaultRecord],
    checks: Sequence[Check],
    figures: Mapping[str, object],
) -> str:
    passed = sum(c.passed for c in checks)
    parts = [
        f"chaos test, {scale} form: {passed}/{len(checks)} checks passed",
        "",
        table(
            ["fault", "when", "recovery seen"],
            [[f.fault, f"{f.at_s:.0f} s", f.recovery] for f in faults],
            [44, 6, 70],
        ),
        "",
        table(
            ["check", "expected", "observed", "pass"],
            [[c.name, c.expected, c.observed, "yes" if c.passed else "NO"] for c in checks],
            [44, 26, 60, 4],
        ),
        "",
        table(["traffic", "figure"], [[k, str(v)] for k, v in figures.items()], [60, 40]),
    ]
    return "\n".join(parts) + "\n"


def write(text: str, scale: str) -> Path:
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    path = REPORT_DIR / f"report-{scale}.txt"
    path.write_text(text, encoding="utf-8")
    return path
