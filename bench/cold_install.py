"""How long from nothing to a serving demo: `uv pip install -e .` (nothing compiled) against
`pip install -e .` (compiles llama.cpp)?

Run: ``python bench/cold_install.py [--installer uv|pip]`` (uv: a couple of minutes; pip: ~10).
In a new venv, with every cache off, it times the install the README's Quick start describes:

- ``uv`` (the default): ``pip install uv``, then ``uv pip install --no-cache -e .`` from the
  project's directory, so that ``[tool.uv]`` in ``pyproject.toml`` leaves out llama-cpp-python
  on Linux x86-64 and the prebuilt cyllama runs the model (``TOWNSQUARE_LLAMA_BINDING=auto``).
  uv does not read pip's configuration: where ``PIP_FIND_LINKS`` names a local wheel directory
  (this machine's CPU build of torch), it is passed on as ``UV_FIND_LINKS``;
- ``pip``: ``pip install --no-cache-dir -e .``, which compiles llama-cpp-python;

then ``townsquare demo`` until its web page answers, and ``townsquare doctor --deep`` (loads the
embedder and the chat model and runs each once).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from chat_models import machine

ROOT = Path(__file__).resolve().parent.parent
SERVE_TIMEOUT_S = 600.0


def timed(*command: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def install(venv: Path, installer: str, env: dict[str, str]) -> dict[str, float]:
    """Seconds per install step into ``venv``, nothing taken from a cache."""
    pip = str(venv / "bin" / "pip")
    if installer == "pip":
        return {
            "pip install -e . (compiles llama.cpp)": timed(
                pip, "install", "-q", "--no-cache-dir", "-e", ".", env=env
            )
        }
    uv_env = {**env, "VIRTUAL_ENV": str(venv)}
    if os.environ.get("PIP_FIND_LINKS"):
        uv_env["UV_FIND_LINKS"] = os.environ["PIP_FIND_LINKS"]
    return {
        "pip install uv": timed(pip, "install", "-q", "--no-cache-dir", "uv", env=env),
        "uv pip install -e . (nothing compiled)": timed(
            str(venv / "bin" / "uv"), "pip", "install", "-q", "--no-cache", "-e", ".", env=uv_env
        ),
    }


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
    parser.add_argument(
        "--installer", choices=("uv", "pip"), default="uv", help="what installs the project"
    )
    args = parser.parse_args()
    print(f"Before: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        venv, data_dir = Path(tmp) / "venv", Path(tmp) / "data"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        env = {**os.environ, "PYTHONPATH": ""}
        steps = install(venv, args.installer, env)
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
