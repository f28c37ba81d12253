"""Draws docs/import-graph.png: the packages of hallq and the imports between them, read from
the code by scripts/import_contracts.py (every import, function-level ones included).

    python scripts/import_graph.py [OUT.png]

One box per package (queue_server split into its sub-packages), placed by layer; an arrow
for every package that imports another, red where the edge is a KNOWN exception.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_contracts as contracts

ROOT = contracts.ROOT
# Rows from the bottom (imports nothing of ours) to the top (imports most).
ROWS: tuple[tuple[str, ...], ...] = (
    ("domain", "hallq_client", "printers", "widgets", "devices"),
    ("storage", "config"),
    ("queueing",),
    ("services", "composition"),
    ("reports", "simulation", "live", "voice", "deploy"),
    ("api", "commands", "kiosk", "window_display"),
    ("hallq",),
)


def box(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "queue_server":
        if len(parts) == 1 or parts[1] in ("settings",):
            return "config" if len(parts) > 1 else "commands"
        sub = parts[1]
        if sub.endswith("commands") or sub.startswith("demo") or sub in ("log_format", "web"):
            return "commands" if sub != "web" else "api"
        return sub
    if parts[0] == "hallq":
        if len(parts) > 1 and parts[1] in ("widgets", "devices"):
            return parts[1]
        return "hallq"
    return parts[0]


def edges() -> tuple[Counter[tuple[str, str]], set[tuple[str, str]]]:
    found, _ = contracts.all_edges()
    counts: Counter[tuple[str, str]] = Counter()
    for edge in found:
        a, b = box(edge.importer), box(edge.imported)
        if a != b:
            counts[(a, b)] += 1
    known = {(box(a), box(b)) for a, b in contracts.KNOWN}
    return counts, known


def draw(out: Path) -> None:
    counts, known = edges()
    position: dict[str, tuple[float, float]] = {}
    for y, row in enumerate(ROWS):
        for x, name in enumerate(row):
            position[name] = ((x + 0.5) * 10 / len(row), y * 1.6)
    missing = {n for pair in counts for n in pair} - set(position)
    assert not missing, f"no place in ROWS for {sorted(missing)}"
    fig, ax = plt.subplots(figsize=(12, 8))
    ax.set_xlim(-0.5, 10.5)
    ax.set_ylim(-0.8, len(ROWS) * 1.6 - 0.6)
    ax.axis("off")
    for (a, b), n in sorted(counts.items()):
        (x1, y1), (x2, y2) = position[a], position[b]
        back = (a, b) in known
        ax.add_patch(
            FancyArrowPatch(
                (x1, y1 - 0.25 if y2 < y1 else y1 + 0.25),
                (x2, y2 + 0.25 if y2 < y1 else y2 - 0.25),
                arrowstyle="-|>",
                mutation_scale=10,
                linewidth=0.4 + min(n, 40) / 20,
                color="#c0392b" if back else "#7f8c8d",
                alpha=0.9 if back else 0.45,
                connectionstyle="arc3,rad=0.08",
            )
        )
    for name, (x, y) in position.items():
        ax.add_patch(
            FancyBboxPatch(
                (x - 0.7, y - 0.22),
                1.4,
                0.44,
                boxstyle="round,pad=0.05",
                facecolor="#eaf2f8",
                edgecolor="#2c3e50",
            )
        )
        ax.text(x, y, name, ha="center", va="center", fontsize=10)
    ax.set_title(
        "hallq imports (scripts/import_graph.py): arrows point at what is imported;"
        " red = a KNOWN back edge",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "import-graph.png"
    draw(target)
    print(target)
