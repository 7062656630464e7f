"""Where trained feed models live: training writes a run folder, serving reads the one published.

    <data_dir>/feed/
      runs/<version>/   one training run: final.pt + final.json (weights, config, metrics),
                        best.*, last.* (resume), items.txt (vocabulary), curves.png
      LATEST            the name of the run being served; replaced atomically
      feed.toml         optional serving configuration (`feed.serving.config`)

Training writes a whole run folder, then `publish` swaps LATEST in one `os.replace`, so a reader
(`feed.serving.store.ModelStore`) never sees half a model.
"""

from __future__ import annotations

import os
from pathlib import Path

LATEST = "LATEST"
RUNS = "runs"


def feed_dir(data_dir: Path) -> Path:
    return data_dir / "feed"


def publish(root: Path, run: Path) -> None:
    """Makes `run` (a folder under `root/runs` holding a finished training) the served model."""
    if not (run / "final.json").exists():
        raise ValueError(f"{run} holds no finished training (final.json is missing)")
    if run.parent.resolve() != (root / RUNS).resolve():
        raise ValueError(f"{run} is not a run folder under {root / RUNS}")
    temporary = root / (LATEST + ".tmp")
    temporary.write_text(run.name + "\n")
    os.replace(temporary, root / LATEST)
