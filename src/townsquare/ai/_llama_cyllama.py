"""The embedded chat engine on cyllama: llama.cpp prebuilt in a 16 MB wheel, nothing to compile.

cyllama is a Cython binding of llama.cpp's C API (model, vocabulary, context, batch, sampler
chain) with no Python dependencies; its manylinux2014 wheels load on any x86-64 Linux from glibc
2.17 on, and its llama.cpp is built for AVX2, FMA, F16C and BMI2 (no AVX-512, no AMX kernels, so
no AMX weight repacking to switch off). The engine drives those calls itself: the prompt cache
(the KV cache of the longest prefix shared with what was evaluated before), the sampler chain
(penalties, then llama.cpp's GBNF grammar from its own JSON-schema converter, then greedy or
top-k/top-p/min-p/temperature, as llama-cpp-python orders them) and the token loop shared with
the py-sync engine (``_llama_steps.decode``). The version is pinned in ``pyproject.toml``;
``tests/ai/test_llama_cyllama.py`` runs the engine against the real models.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from townsquare.ai._llama_steps import compact_json_space, decode
from townsquare.ai._openmp import passive_openmp
from townsquare.ai.chat import ChatChunk, ChatRequest
from townsquare.ai.errors import ModelUnavailableError
from townsquare.cpu import cpu_flags

__all__ = ["CyllamaEngine", "json_schema_grammar", "load_library"]

INSTALL_HINT = "run `pip install cyllama==0.2.18` (a prebuilt llama.cpp, no compile)"
OTHER_BINDING = "or set TOWNSQUARE_LLAMA_BINDING=llama-cpp-python"
# What the wheel's llama.cpp is compiled for: without them its first instruction kills the process.
REQUIRED_FLAGS = frozenset({"avx2", "bmi2", "fma", "f16c"})
# llama-cpp-python's sampling defaults, so that the bindings answer alike.
_TOP_K, _TOP_P, _MIN_P, _PENALTY_LAST_N = 40, 0.95, 0.05, 64
_RANDOM_SEED = 0xFFFFFFFF  # LLAMA_DEFAULT_SEED: llama.cpp picks one
# A token whose piece is part of a UTF-8 character is held back until the character is whole;
# no character spans more tokens than this.
_MAX_HELD_TOKENS = 8


def load_library() -> Any:
    """The binding's native module, loaded once, with llama.cpp's logging silenced."""
    missing = REQUIRED_FLAGS - cpu_flags() if cpu_flags() else frozenset()
    if missing:
        raise ModelUnavailableError(
            f"cyllama's prebuilt llama.cpp needs a CPU with {', '.join(sorted(REQUIRED_FLAGS))}; "
            f"this one lacks {', '.join(sorted(missing))}. Set "
            "TOWNSQUARE_LLAMA_BINDING=llama-cpp-python, which pip builds for this CPU."
        )
    passive_openmp()  # before its bundled libgomp loads
    try:
        import cyllama.llama.llama_cpp as native
    except ImportError as exc:
        raise ModelUnavailableError(
            f"TOWNSQUARE_LLAMA_BINDING=cyllama needs cyllama; {INSTALL_HINT}, {OTHER_BINDING}."
        ) from exc
    native.disable_logging()
    return native


class CyllamaEngine:
    """One loaded model. Not thread-safe: the chat model calls it under its lock."""

    def __init__(self, model_path: Path, *, n_ctx: int, n_threads: int) -> None:
        self._native = native = load_library()
        try:
            self._model = native.LlamaModel(str(model_path), native.LlamaModelParams())
        except ValueError as exc:
            raise ModelUnavailableError(
                f"llama.cpp could not load {model_path} ({exc}); is it a GGUF file that this "
                "version of cyllama supports?"
            ) from exc
        self._vocab = self._model.get_vocab()
        params = native.LlamaContextParams()
        params.n_ctx = n_ctx
        params.n_threads = params.n_threads_batch = n_threads
        self._ctx = native.LlamaContext(self._model, params)
        self._n_ctx = n_ctx
        self._anchor = self._vocab.tokenize("a", add_special=False, parse_special=False)
        self._evaluated: list[int] = []  # the tokens in the KV cache, in order
        self.reused_tokens = 0  # how many prompt tokens the last request found in the KV cache
        self.chat_template = str(self._model.metadata().get("tokenizer.chat_template", ""))

    def generate(
        self, prompt: str, *, stops: Sequence[str], request: ChatRequest
    ) -> Iterator[ChatChunk]:
        tokens = self._tokenize(prompt, special=True)
        if len(tokens) >= self._n_ctx:
            raise ValueError(
                f"Requested tokens ({len(tokens)}) exceed context window of {self._n_ctx}"
            )
        sampler = self._sampler(request)
        # A seeded request starts clean so that it repeats (see the llama-cpp-python engine).
        reused = 0 if request.seed is not None else self._cached_prefix(tokens)
        self.reused_tokens = reused
        try:
            if not self._ctx.memory_seq_rm(0, reused, -1):
                reused = self.reused_tokens = 0  # a cache that cannot be cut (sliding window)
                self._ctx.memory_seq_rm(0, -1, -1)
            del self._evaluated[reused:]
            steps = _Steps(self, sampler)
            n_past = steps.evaluate(tokens[reused:], reused)
            max_tokens = min(request.max_tokens, self._n_ctx - n_past)
            yield from decode(steps, n_past, max_tokens, stops)
        except BaseException:
            self._evaluated.clear()  # the KV cache may no longer match what was evaluated
            self._ctx.memory_seq_rm(0, -1, -1)
            raise

    def count_tokens(self, text: str) -> int:
        return len(self._tokenize(text, special=False))

    def _tokenize(self, text: str, *, special: bool) -> list[int]:
        return list(self._vocab.tokenize(text, add_special=special, parse_special=special))

    def _cached_prefix(self, tokens: Sequence[int]) -> int:
        """How many leading ``tokens`` are in the KV cache; the last one is always evaluated
        again, since sampling needs its logits."""
        shared = 0
        for cached, token in zip(self._evaluated, tokens[:-1], strict=False):
            if cached != token:
                break
            shared += 1
        return shared

    def _sampler(self, request: ChatRequest) -> Any:
        native = self._native
        sampler = native.LlamaSampler(native.LlamaSamplerChainParams())
        sampler.add_penalties(
            _PENALTY_LAST_N,
            request.repeat_penalty,
            request.frequency_penalty,
            request.presence_penalty,
        )
        if request.json_schema is not None:
            sampler.add_grammar(self._vocab, json_schema_grammar(request.json_schema), "root")
        if request.temperature <= 0:
            sampler.add_greedy()
            return sampler
        sampler.add_top_k(_TOP_K)
        sampler.add_top_p(_TOP_P, 1)
        sampler.add_min_p(_MIN_P, 1)
        sampler.add_temp(request.temperature)
        sampler.add_dist(_RANDOM_SEED if request.seed is None else request.seed)
        return sampler


class _Steps:
    """One generation's calls into cyllama, as the shared loop's ``TokenSteps``."""

    def __init__(self, engine: CyllamaEngine, sampler: Any) -> None:
        self._engine = engine
        self._sampler = sampler
        self._held: list[int] = []

    def sample(self) -> int:
        return int(self._sampler.sample(self._engine._ctx, -1))

    def is_end(self, token: int) -> bool:
        return bool(self._engine._vocab.is_eog(token))

    def text(self, token: int) -> str:
        """The token's piece; cyllama decodes each piece by itself, replacing the bytes of a
        character split across tokens, so such tokens are held and decoded together."""
        piece = str(self._engine._vocab.token_to_piece(token, special=True))
        if not self._held and "\ufffd" not in piece:
            return piece
        self._held.append(token)
        text = self._held_text()
        if text.endswith("\ufffd") and len(self._held) < _MAX_HELD_TOKENS:
            return ""
        self._held.clear()
        return text

    def flush(self) -> str:
        text = self._held_text() if self._held else ""
        self._held.clear()
        return text

    def _held_text(self) -> str:
        # Detokenized after a plain token, so that no leading space of theirs is stripped.
        anchor = self._engine._anchor
        vocab = self._engine._vocab
        return str(vocab.detokenize([*anchor, *self._held]))[len(vocab.detokenize(anchor)) :]

    def evaluate(self, tokens: Sequence[int], n_past: int) -> int:
        engine = self._engine
        batch_size = engine._ctx.n_batch
        for start in range(0, len(tokens), batch_size):
            part = list(tokens[start : start + batch_size])
            engine._ctx.decode(engine._native.llama_batch_get_one(part, n_past))
            engine._evaluated.extend(part)
            n_past += len(part)
        return n_past


def json_schema_grammar(schema: Mapping[str, Any]) -> str:
    """GBNF that admits JSON matching ``schema``, by llama.cpp's own converter (which keeps
    integer ranges and string lengths in the grammar), with compact whitespace."""
    from cyllama.llama.llama_cpp import json_schema_to_grammar

    return compact_json_space(str(json_schema_to_grammar(json.dumps(schema))))
