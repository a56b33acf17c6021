"""What the run prints: each scenario's line as it is measured, the table and the
server comparison at the end."""

from __future__ import annotations

from .console import log
from .wrk import errors_of


def report(name: str, result: dict[str, object]) -> None:
    """Log a scenario's figures: median req/s, p50, p99, the runs' range, errors."""
    flag = f"  ERRORS {errors_of(result)}" if errors_of(result) else ""
    spread = (
        f"  (median of {result['repeats']}: {result['rps_min']:,.0f}-"
        f"{result['rps_max']:,.0f})"
        if result["repeats"] > 1
        else ""
    )
    log(
        f"{name:<34} {result['rps']:>10,.0f} req/s  "
        f"p50 {result['p50_ms']} ms  p99 {result['p99_ms']} ms{spread}{flag}"
    )


def fmt_num(value, unit="") -> str:
    """A table cell for a figure: "-" for none, thousands separated."""
    if value is None:
        return "-"
    if isinstance(value, float) and value >= 100:
        return f"{value:,.0f}{unit}"
    if isinstance(value, float):
        return f"{value:,.2f}{unit}"
    return f"{value:,}{unit}"


def print_table(rows: list[dict[str, object]]) -> None:
    """Print the table of targets, then each row's note."""
    header = (
        "Scenario",
        "Broadsheet",
        "Baseline",
        "Ratio",
        "p99 ms",
        "Runs, spread",
        "Target",
        "Result",
    )
    lines = [header]
    for row in rows:
        ratio = row["ratio"]
        lines.append(
            (
                row["scenario"],
                fmt_num(row["broadsheet"], f" {row['unit']}" if row["unit"] else ""),
                fmt_num(row["baseline"]),
                "-" if ratio is None else f"{ratio * 100:.1f} %",
                fmt_num(row["p99_ms"]),
                row.get("runs_spread") or "-",
                row["target"],
                {True: "PASS", False: "FAIL", None: "not run"}[row["pass"]],
            )
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    for row in rows:
        if row["note"]:
            print(f"  * {row['scenario']}: {row['note']}")


def print_servers(figures: dict[str, object], nginx: dict[str, object]) -> None:
    """Print the server comparison, each figure against nginx's."""
    print(
        f"Servers, 2 workers (nginx: {nginx['rps']:,.0f} req/s, "
        f"p99 {nginx['p99_ms']} ms)"
    )
    print(
        f"{'server, mode':<30} {'page':<8} {'req/s':>9} {'of nginx':>9} {'p99 ms':>8}"
    )
    for label, entry in figures.items():
        if "error" in entry:
            print(f"{label:<30} error: {entry['error']}")
            continue
        for page in ("article", "home"):
            if page in entry:
                r = entry[page]
                print(
                    f"{label:<30} {page:<8} {r['rps']:>9,.0f} "
                    f"{r['rps'] / nginx['rps'] * 100:>8.1f}% {r['p99_ms']:>8}"
                    + (f"  errors {errors_of(r)}" if errors_of(r) else "")
                )
