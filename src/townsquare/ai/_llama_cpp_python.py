"""The embedded chat engine on llama-cpp-python (``llama_cpp``), which pip compiles from source.

``create_completion`` on a rendered prompt gives streaming, stop sequences, a GBNF grammar from
the JSON schema (llama.cpp's own converter, ``LlamaGrammar.from_json_schema``) and the binding's
prompt cache: an unseeded request reuses the KV cache of the longest prefix it shares with the
previous one.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from townsquare.ai._openmp import passive_openmp
from townsquare.ai.chat import ChatChunk, ChatRequest
from townsquare.ai.errors import ModelUnavailableError

if TYPE_CHECKING:
    from llama_cpp import CreateCompletionStreamResponse, Llama
    from llama_cpp.llama_grammar import LlamaGrammar

__all__ = ["LlamaCppPythonEngine", "import_llama_cpp"]

INSTALL_HINT = "run `pip install llama-cpp-python` (it compiles llama.cpp, ~7 minutes on 2 cores)"


def import_llama_cpp() -> None:
    """Import the binding, or say how to install it."""
    passive_openmp()
    try:
        import llama_cpp  # noqa: F401
    except ImportError as exc:
        raise ModelUnavailableError(
            f"TOWNSQUARE_LLAMA_BINDING=llama-cpp-python needs llama-cpp-python; {INSTALL_HINT}."
        ) from exc


class LlamaCppPythonEngine:
    """One loaded model. Not thread-safe: the chat model calls it under its lock."""

    def __init__(self, model_path: Path, *, n_ctx: int, n_threads: int) -> None:
        import_llama_cpp()
        from llama_cpp import Llama

        try:
            with _without_weight_repacking():
                self._llama: Llama = Llama(
                    model_path=str(model_path), n_ctx=n_ctx, n_threads=n_threads, verbose=False
                )
        except ValueError as exc:
            raise ModelUnavailableError(
                f"llama.cpp could not load {model_path} ({exc}); is it a GGUF file that this "
                "version of llama-cpp-python supports?"
            ) from exc
        self.chat_template = str(self._llama.metadata.get("tokenizer.chat_template", ""))

    def generate(
        self, prompt: str, *, stops: Sequence[str], request: ChatRequest
    ) -> Iterator[ChatChunk]:
        if request.seed is not None:
            # Reusing the cached prompt prefix changes the logits slightly, enough to flip a
            # near-tie at temperature 0; a seeded request starts clean so that it repeats.
            self._llama.reset()  # type: ignore[no-untyped-call]  # unannotated upstream
        chunks = self._llama.create_completion(
            prompt,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
            stop=list(stops),
            seed=request.seed,
            repeat_penalty=request.repeat_penalty,
            presence_penalty=request.presence_penalty,
            frequency_penalty=request.frequency_penalty,
            grammar=_grammar(request.json_schema),
            stream=True,
        )
        for chunk in cast(Iterator["CreateCompletionStreamResponse"], chunks):
            choice = chunk["choices"][0]
            yield ChatChunk(choice["text"], choice["finish_reason"])

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode(), add_bos=False, special=False))


_params_lock = threading.Lock()


@contextmanager
def _without_weight_repacking() -> Iterator[None]:
    """Loads models without llama.cpp's "extra buffer types" (weights repacked for AMX and
    similar CPU extensions). A natively built llama.cpp picks AMX on Intel Sapphire Rapids and
    newer, and there llama-cpp-python 0.3.36 crashes (SIGSEGV) on the first decode of SmolLM2's
    Q4_1 weights. ``Llama`` has no argument for it, so its default model parameters are patched
    for the duration of the load; plain CPU kernels are as fast for a model this small."""
    import llama_cpp.llama_cpp as low_level  # the module ``Llama.__init__`` reads them from

    with _params_lock:
        default_params = low_level.llama_model_default_params

        def params_without_repacking() -> Any:
            params = default_params()
            params.use_extra_bufts = False
            return params

        setattr(low_level, "llama_model_default_params", params_without_repacking)  # noqa: B010
        try:
            yield
        finally:
            setattr(low_level, "llama_model_default_params", default_params)  # noqa: B010


def _grammar(schema: Mapping[str, Any] | None) -> LlamaGrammar | None:
    """A GBNF grammar that only admits JSON matching ``schema``, or None for free text."""
    if schema is None:
        return None
    from llama_cpp.llama_grammar import LlamaGrammar

    return LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
