"""Charts as inline SVG data URIs, so the HTML file needs nothing beside it."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display on servers
import matplotlib.pyplot as plt
import pandas as pd

COLOUR = "#1f5f8b"


def to_data_uri(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def barh(labels: list[str], values: list[float], title: str, xlabel: str) -> str:
    """A horizontal bar chart, largest at the top."""
    pairs = sorted(zip(labels, values, strict=False), key=lambda p: p[1])
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * max(3, len(pairs)) + 1.0))
    ax.barh([p[0] for p in pairs], [p[1] for p in pairs], color=COLOUR)
    ax.set_title(title, loc="left", fontsize=11)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    for i, (_, v) in enumerate(pairs):
        ax.text(v, i, f" {v:g}", va="center", fontsize=8)
    return to_data_uri(fig)


def theme_chart(themes: pd.DataFrame) -> str:
    return barh(themes["Theme"].tolist(), themes["% of reports"].tolist(),
                "Reports showing each theme", "% of reports analysed")


def scie_chart(recs: pd.DataFrame, finds: pd.DataFrame) -> str:
    """Recommendations and findings side by side, as % of each kind."""
    body_r = recs[recs["SCIE category"] != "Total"]
    body_f = finds[finds["SCIE category"] != "Total"].set_index("SCIE category")["%"]
    labels = body_r["SCIE category"].tolist()
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * max(3, len(labels)) + 1.0))
    ys = range(len(labels))
    ax.barh([y + 0.2 for y in ys], body_r["%"].tolist(), height=0.4, color=COLOUR, label="Recommendations")
    ax.barh([y - 0.2 for y in ys], [float(body_f.get(lab, 0.0)) for lab in labels], height=0.4,
            color="#e07b39", label="Findings")
    ax.set_yticks(list(ys), labels)
    ax.invert_yaxis()
    ax.set_xlabel("% of items of that kind")
    ax.set_title("SCIE categories of recommendations and findings", loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return to_data_uri(fig)


def items_chart(per_report: dict[str, list[int]]) -> str:
    """Distribution of recommendations and findings per report."""
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    data = [v for v in per_report.values()]
    ax.hist(data, bins=15, label=list(per_report), color=[COLOUR, "#e07b39"][: len(data)], stacked=False)
    ax.set_xlabel("items per report")
    ax.set_ylabel("reports")
    ax.set_title("Recommendations and findings per report", loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return to_data_uri(fig)


def status_chart(status: pd.DataFrame) -> str:
    body = status[status["Status"] != "Total"]
    return barh(body["Status"].tolist(), body["Files"].tolist(), "Files by outcome", "files")
