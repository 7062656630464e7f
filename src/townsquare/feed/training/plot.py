"""Training curves as a PNG: loss and validation NDCG@10 by epoch."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def plot_curves(history: Sequence[dict[str, float]], path: Path, *, title: str = "") -> None:
    """Draws loss (left axis) and every validation metric (right) against epoch."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [row["epoch"] for row in history]
    figure, loss_axis = plt.subplots(figsize=(7, 4))
    loss_axis.plot(epochs, [row["loss"] for row in history], color="tab:gray", label="train loss")
    loss_axis.set_xlabel("epoch")
    loss_axis.set_ylabel("train loss")
    metric_axis = loss_axis.twinx()
    for name in ("valid_hr@10", "valid_ndcg@10"):
        if history and name in history[0]:
            metric_axis.plot(epochs, [row[name] for row in history], label=name)
    metric_axis.set_ylabel("validation metric")
    loss_axis.set_title(title, fontsize="small")
    figure.legend(loc="lower center", ncols=3, fontsize="small")
    figure.tight_layout(rect=(0, 0.07, 1, 1))  # room below the axes for the legend
    figure.savefig(path, dpi=100)
    plt.close(figure)
