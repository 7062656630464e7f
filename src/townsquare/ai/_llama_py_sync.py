"""The embedded chat engine on llama-cpp-py-sync: prebuilt llama.cpp in a 5.5 MB wheel, no compile.

Its ``Llama`` loads the model, tokenizes, evaluates tokens into the KV cache and samples through
llama.cpp's sampler chain (a native GBNF grammar sampler included); the loop over tokens is the
one shared with the cyllama engine (``_llama_steps.decode``), so that streaming, stop sequences
and ``finish_reason`` behave exactly as with llama-cpp-python.
Its private step methods are used, so the version is pinned in ``pyproject.toml``; the tests in
``tests/ai/test_llama_py_sync.py`` run them against the real model.

Its wheels are tagged manylinux2014 but the libraries in them need glibc 2.38 or newer (Debian
13, Ubuntu 24.04); older systems fail to load them, which ``load_library`` reports as a
``ModelUnavailableError`` that names the other binding. Its llama.cpp is built for AVX2 (no
AVX-512, no AMX kernels), so there is no AMX weight repacking to switch off. Do not load both
bindings in one process: the second one's libllama binds to the first one's ggml symbols.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from townsquare.ai._llama_steps import compact_json_space, decode
from townsquare.ai._openmp import passive_openmp
from townsquare.ai.chat import ChatChunk, ChatRequest
from townsquare.ai.errors import ModelUnavailableError

__all__ = ["PySyncEngine", "json_schema_grammar", "load_library"]

INSTALL_HINT = "run `pip install 'townsquare[py-sync]'` (a prebuilt llama.cpp, no compile)"
OTHER_BINDING = "or set TOWNSQUARE_LLAMA_BINDING=llama-cpp-python"
# One prompt-cache session: every unseeded request may reuse the previous request's KV cache.
_CACHE_KEY = "townsquare"
# llama-cpp-python's sampling defaults, so both bindings answer alike.
_TOP_K, _TOP_P, _MIN_P, _REPEAT_LAST_N = 40, 0.95, 0.05, 64
# Keywords that the binding's JSON-schema converter refuses and our schemas use. Numeric bounds
# are dropped from the grammar, as llama-cpp-python 0.3.36's converter ignores them; the reply is
# still validated against the full schema by ``ChatModel.complete_json``.
_NUMERIC_BOUNDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)
_log_callback: Any = None  # kept alive: llama.cpp calls it for as long as the process runs


def load_library() -> Any:
    """The binding's native llama.cpp library, loaded once and with its logging silenced."""
    global _log_callback
    passive_openmp()
    try:
        from llama_cpp_py_sync._cffi_bindings import get_ffi, get_lib
    except ImportError as exc:
        raise ModelUnavailableError(
            f"TOWNSQUARE_LLAMA_BINDING=py-sync needs llama-cpp-py-sync; {INSTALL_HINT}, "
            f"{OTHER_BINDING}."
        ) from exc
    try:
        lib = get_lib()  # type: ignore[no-untyped-call]  # unannotated upstream
    except RuntimeError as exc:
        why = (
            "Its wheels need glibc 2.38 or newer: upgrade the OS, or" if "GLIBC" in str(exc) else ""
        )
        raise ModelUnavailableError(
            f"llama-cpp-py-sync is installed but its prebuilt llama.cpp does not load here "
            f"({exc}). {why or 'Instead,'} set TOWNSQUARE_LLAMA_BINDING=llama-cpp-python and "
            "`pip install llama-cpp-python`."
        ) from exc
    if _log_callback is None:
        ffi = get_ffi()  # type: ignore[no-untyped-call]  # unannotated upstream
        _log_callback = ffi.callback("ggml_log_callback", lambda *_: None)
        lib.llama_log_set(_log_callback, ffi.NULL)
    return lib


class PySyncEngine:
    """One loaded model. Not thread-safe: the chat model calls it under its lock."""

    def __init__(self, model_path: Path, *, n_ctx: int, n_threads: int) -> None:
        self._lib = load_library()
        from llama_cpp_py_sync import Llama

        try:
            self._llama = Llama(str(model_path), n_ctx=n_ctx, n_threads=n_threads)
        except RuntimeError as exc:
            raise ModelUnavailableError(
                f"llama.cpp could not load {model_path} ({exc}); is it a GGUF file that this "
                "version of llama-cpp-py-sync supports?"
            ) from exc
        # The binding asks every context for embeddings, which makes llama.cpp output every
        # prompt token; a chat model needs the last one's logits only (a 361-token prompt took
        # 6-18% longer with embeddings on, SmolLM2 on 2 shared cores).
        self._lib.llama_set_embeddings(self._llama._ctx, False)
        self._n_ctx = n_ctx
        self.reused_tokens = 0  # how many prompt tokens the last request found in the KV cache
        self.chat_template = self._llama._model_metadata().get("tokenizer.chat_template", "")

    def generate(
        self, prompt: str, *, stops: Sequence[str], request: ChatRequest
    ) -> Iterator[ChatChunk]:
        llama = self._llama
        tokens = llama.tokenize(prompt, add_special=True, parse_special=True)
        if len(tokens) >= self._n_ctx:
            raise ValueError(
                f"Requested tokens ({len(tokens)}) exceed context window of {self._n_ctx}"
            )
        grammar = None if request.json_schema is None else json_schema_grammar(request.json_schema)
        # A seeded request starts clean so that it repeats (see the llama-cpp-python engine).
        reused, _ = llama._prepare_chat_prefix(
            tokens, None if request.seed is not None else _CACHE_KEY
        )
        self.reused_tokens = reused
        llama._configure_generation_sampler(
            request.temperature,
            _TOP_K,
            _TOP_P,
            _MIN_P,
            request.repeat_penalty,  # its sampler has no presence or frequency penalty
            _REPEAT_LAST_N,
            request.seed,
            grammar,
        )
        try:
            n_past = llama._eval_tokens(tokens[reused:], reused)
            max_tokens = min(request.max_tokens, self._n_ctx - n_past)
            yield from decode(_Steps(self), n_past, max_tokens, stops)
        except BaseException:
            llama._clear_context_state()  # the cached tokens may no longer match the KV cache
            raise

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text, add_special=False, parse_special=False))


class _Steps:
    """The binding's step methods as the shared loop's ``TokenSteps``."""

    def __init__(self, engine: PySyncEngine) -> None:
        self._llama = engine._llama
        self._lib = engine._lib
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def sample(self) -> int:
        return int(self._llama._sample_token())

    def is_end(self, token: int) -> bool:
        return bool(self._lib.llama_vocab_is_eog(self._llama._vocab, token))

    def text(self, token: int) -> str:
        return self._decoder.decode(self._llama._token_to_bytes(token))

    def flush(self) -> str:
        return self._decoder.decode(b"", final=True)

    def evaluate(self, tokens: Sequence[int], n_past: int) -> int:
        return int(self._llama._eval_tokens(list(tokens), n_past))


def json_schema_grammar(schema: Mapping[str, Any]) -> str:
    """GBNF that admits JSON matching ``schema``, by the binding's own converter.

    It refuses keywords it cannot express rather than ignore them; numeric bounds are dropped
    first (see ``_NUMERIC_BOUNDS``). Others (``$ref``, ``pattern``, ``allOf``...) raise a
    ``ValueError`` that says which."""
    from llama_cpp_py_sync.constraints import response_format_to_grammar

    grammar = response_format_to_grammar(
        {"type": "json_schema", "json_schema": {"schema": _without_numeric_bounds(schema)}}
    )
    assert grammar is not None  # a json_schema response format always has one
    return compact_json_space(grammar)


def _without_numeric_bounds(schema: Any) -> Any:
    if isinstance(schema, Mapping):
        return {
            key: _without_numeric_bounds(value)
            for key, value in schema.items()
            if key not in _NUMERIC_BOUNDS or not isinstance(value, int | float)
        }
    if isinstance(schema, list):
        return [_without_numeric_bounds(item) for item in schema]
    return schema
