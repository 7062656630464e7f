"""Embedded chat through llama.cpp, in-process, on the CPU.

Both prompt formats go through ``create_completion`` on a rendered prompt (never llama.cpp's own
chat handlers), so streaming, stop sequences and grammar-constrained JSON behave the same way
for a base model and an instruction-tuned one.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from townsquare.ai._openmp import passive_openmp
from townsquare.ai.chat import ChatChunk, ChatMessage, ChatModel, ChatRequest
from townsquare.ai.errors import ModelUnavailableError

if TYPE_CHECKING:
    from llama_cpp import CreateCompletionStreamResponse, Llama
    from llama_cpp.llama_grammar import LlamaGrammar

__all__ = ["LlamaCppChatModel", "PromptFormat", "render_prompt"]

PromptFormat = Literal["transcript", "chatml"]

# A base model does not know where its turn ends: after a one-line answer it goes on inventing
# "Question: ..." or "User: ..." lines, so a transcript turn ends at the first newline.
_TRANSCRIPT_STOPS = ("\n",)
_CHATML_STOPS = ("<|im_end|>", "<|im_start|>")
_LABELS = {"user": "User", "assistant": "Assistant"}


def render_prompt(
    messages: Sequence[ChatMessage], prompt_format: PromptFormat
) -> tuple[str, tuple[str, ...]]:
    """The prompt text that asks for the next assistant turn, and the stops that end that turn.

    ``transcript`` suits a base model such as Gemma 3 270M: system messages become a preamble,
    then alternating ``User:``/``Assistant:`` lines, and the reply is one line. ``chatml`` is
    the ``<|im_start|>`` format of SmolLM2, Qwen and many other instruction-tuned models.
    """
    if prompt_format == "chatml":
        turns = "".join(f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n" for m in messages)
        return turns + "<|im_start|>assistant\n", _CHATML_STOPS
    preamble = "\n\n".join(m.content for m in messages if m.role == "system")
    turns = "".join(f"{_LABELS[m.role]}: {m.content}\n" for m in messages if m.role != "system")
    head = f"{preamble}\n\n" if preamble else ""
    return f"{head}{turns}Assistant:", _TRANSCRIPT_STOPS


class LlamaCppChatModel(ChatModel):
    """A GGUF model run by llama.cpp, loaded on first use.

    ``prompt_format="auto"`` (for a user-supplied GGUF) picks ``chatml`` when the file's chat
    template mentions ``<|im_start|>`` and ``transcript`` otherwise, once the model is loaded.
    ``n_threads`` defaults to every CPU (llama.cpp's own default is half of them).
    A request with a ``seed`` is evaluated from scratch so that it repeats exactly; others reuse
    the prompt prefix cached from the previous request. One ``Llama`` object is not thread-safe,
    so generations queue on a lock, which is held while a stream is being consumed.
    """

    def __init__(
        self,
        model_path: Path,
        *,
        prompt_format: PromptFormat | Literal["auto"],
        n_ctx: int = 4096,
        n_threads: int | None = None,
        name: str | None = None,
    ) -> None:
        self.name = name or model_path.stem
        self.model_path = model_path
        self.prompt_format = prompt_format
        self.n_ctx = n_ctx
        self.context_tokens = n_ctx
        self.n_threads = n_threads or os.cpu_count() or 1
        self._llama: Llama | None = None
        self._lock = threading.Lock()

    def stream(self, request: ChatRequest) -> Iterator[ChatChunk]:
        with self._lock:
            llama = self._load()
            if request.seed is not None:
                # Reusing the cached prompt prefix changes the logits slightly, enough to flip a
                # near-tie at temperature 0; a seeded request starts clean so that it repeats.
                llama.reset()  # type: ignore[no-untyped-call]  # unannotated upstream
            prompt, turn_stops = render_prompt(request.messages, self._resolved_format(llama))
            chunks = llama.create_completion(
                prompt,
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                # A grammar ends a JSON reply by itself, and may put newlines inside it.
                stop=[*request.stop]
                if request.json_schema is not None
                else [*turn_stops, *request.stop],
                seed=request.seed,
                grammar=_grammar(request.json_schema),
                stream=True,
            )
            for chunk in cast(Iterator["CreateCompletionStreamResponse"], chunks):
                choice = chunk["choices"][0]
                yield ChatChunk(choice["text"], choice["finish_reason"])

    def count_tokens(self, text: str) -> int:
        """Exact: the model's own tokenizer (which needs the model loaded)."""
        if not text:
            return 0
        with self._lock:
            return len(self._load().tokenize(text.encode(), add_bos=False, special=False))

    def _load(self) -> Llama:
        if self._llama is not None:
            return self._llama
        if not self.model_path.is_file():
            raise ModelUnavailableError(
                f"The GGUF model file {self.model_path} does not exist; point "
                "TOWNSQUARE_CHAT_MODEL_PATH at a GGUF file, or unset it to use a packaged model."
            )
        passive_openmp()
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ModelUnavailableError(
                "The embedded chat backend needs llama.cpp; run `pip install llama-cpp-python`."
            ) from exc
        try:
            with _without_weight_repacking():
                self._llama = Llama(
                    model_path=str(self.model_path),
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    verbose=False,
                )
        except ValueError as exc:
            raise ModelUnavailableError(
                f"llama.cpp could not load {self.model_path} ({exc}); is it a GGUF file that this "
                "version of llama-cpp-python supports?"
            ) from exc
        return self._llama

    def _resolved_format(self, llama: Llama) -> PromptFormat:
        if self.prompt_format != "auto":
            return self.prompt_format
        template = str(llama.metadata.get("tokenizer.chat_template", ""))
        return "chatml" if "<|im_start|>" in template else "transcript"


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
