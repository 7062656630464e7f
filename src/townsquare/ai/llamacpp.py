"""Embedded chat through llama.cpp, in-process, on the CPU.

Both prompt formats are rendered here and completed as plain text (never llama.cpp's own chat
handlers), so streaming, stop sequences and grammar-constrained JSON behave the same way for a
base model and an instruction-tuned one. Three Python bindings of llama.cpp can run it (see
``LlamaBinding``); each is an engine with the same two methods.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal, Protocol

from townsquare.ai.chat import (
    DEFAULT_SPEAKERS,
    ChatChunk,
    ChatMessage,
    ChatModel,
    ChatRequest,
)
from townsquare.ai.errors import ModelUnavailableError

__all__ = [
    "BindingChoice",
    "LlamaBinding",
    "LlamaCppChatModel",
    "LlamaEngine",
    "PromptFormat",
    "render_prompt",
    "resolve_binding",
]

PromptFormat = Literal["transcript", "chatml"]
# "llama-cpp-python" compiles llama.cpp when pip installs it (minutes); "cyllama" ships it
# prebuilt for AVX2 CPUs on glibc 2.17 or newer; "py-sync" (llama-cpp-py-sync) ships it
# prebuilt, but only loads on glibc 2.38 or newer.
LlamaBinding = Literal["llama-cpp-python", "cyllama", "py-sync"]
# "auto": the binding built for this CPU when there is one (pip compiled llama-cpp-python here),
# else the prebuilt cyllama (what `uv pip install -e .` installs on Linux x86-64).
BindingChoice = Literal["auto", "llama-cpp-python", "cyllama", "py-sync"]

# A base model does not know where its turn ends: after a one-line answer it goes on inventing
# "Question: ..." or "User: ..." lines, so a transcript turn ends at the first newline.
_TRANSCRIPT_STOPS = ("\n",)
_CHATML_STOPS = ("<|im_end|>", "<|im_start|>")


def render_prompt(
    messages: Sequence[ChatMessage],
    prompt_format: PromptFormat,
    speakers: tuple[str, str] = DEFAULT_SPEAKERS,
) -> tuple[str, tuple[str, ...]]:
    """The prompt text that asks for the next assistant turn, and the stops that end that turn.

    ``transcript`` suits a base model such as Gemma 3 270M: the system messages before the
    first turn become a preamble, then one line per turn labelled with ``speakers`` (the
    user's, the assistant's), and the reply is one line. A system message after the first turn
    (a persona reminder, a rehearsal's next beat) stays where it is, as a line of its own: a
    small model follows what it read last, and the turns before it stay a prefix that the
    prompt cache reuses. ``chatml`` is the ``<|im_start|>`` format of SmolLM2, Qwen and many
    other instruction-tuned models (``speakers`` unused).
    """
    if prompt_format == "chatml":
        turns = "".join(f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n" for m in messages)
        return turns + "<|im_start|>assistant\n", _CHATML_STOPS
    labels = {
        "user": _label(speakers[0], DEFAULT_SPEAKERS[0]),
        "assistant": _label(speakers[1], DEFAULT_SPEAKERS[1]),
    }
    lead = next((i for i, m in enumerate(messages) if m.role != "system"), len(messages))
    preamble = "\n\n".join(m.content for m in messages[:lead])
    lines = "".join(
        f"{m.content}\n" if m.role == "system" else f"{labels[m.role]}: {m.content}\n"
        for m in messages[lead:]
    )
    head = f"{preamble}\n\n" if preamble else ""
    return f"{head}{lines}{labels['assistant']}:", _TRANSCRIPT_STOPS


def _label(name: str, default: str) -> str:
    """A speaker's name as a transcript label: one line, no colon (which would end the label)."""
    return " ".join(name.replace(":", " ").split()) or default


class LlamaEngine(Protocol):
    """A loaded model in one binding. Not thread-safe: ``LlamaCppChatModel`` serialises calls."""

    chat_template: str  # the GGUF's tokenizer.chat_template, "" when it has none

    def generate(
        self, prompt: str, *, stops: Sequence[str], request: ChatRequest
    ) -> Iterator[ChatChunk]:
        """Complete ``prompt`` as ``request`` asks (``messages`` aside): stop at any of
        ``stops``, constrain to ``json_schema``, and reuse the cached prompt prefix of the
        previous request unless ``seed`` is set."""

    def count_tokens(self, text: str) -> int: ...


class LlamaCppChatModel(ChatModel):
    """A GGUF model run by llama.cpp, loaded on first use.

    ``prompt_format="auto"`` (for a user-supplied GGUF) picks ``chatml`` when the file's chat
    template mentions ``<|im_start|>`` and ``transcript`` otherwise, once the model is loaded.
    ``n_threads`` defaults to every CPU (llama.cpp's own default is half of them).
    A request with a ``seed`` is evaluated from scratch so that it repeats exactly; others reuse
    the prompt prefix cached from the previous request. One model is not thread-safe, so
    generations queue on a lock, which is held while a stream is being consumed.
    """

    def __init__(
        self,
        model_path: Path,
        *,
        prompt_format: PromptFormat | Literal["auto"],
        n_ctx: int = 4096,
        n_threads: int | None = None,
        name: str | None = None,
        binding: BindingChoice = "auto",
    ) -> None:
        self.name = name or model_path.stem
        self.model_path = model_path
        self.prompt_format = prompt_format
        self.n_ctx = n_ctx
        self.context_tokens = n_ctx
        self.n_threads = n_threads or os.cpu_count() or 1
        self.binding = binding
        self._engine: LlamaEngine | None = None
        self._lock = threading.Lock()

    def stream(self, request: ChatRequest) -> Iterator[ChatChunk]:
        with self._lock:
            engine = self._load()
            prompt, turn_stops = render_prompt(
                request.messages, self._resolved_format(engine), request.speakers
            )
            # A grammar ends a JSON reply by itself, and may put newlines inside it.
            stops = (
                [*request.stop]
                if request.json_schema is not None
                else [
                    *turn_stops,
                    *request.stop,
                ]
            )
            yield from engine.generate(prompt, stops=stops, request=request)

    def count_tokens(self, text: str) -> int:
        """Exact: the model's own tokenizer (which needs the model loaded)."""
        if not text:
            return 0
        with self._lock:
            return self._load().count_tokens(text)

    def _load(self) -> LlamaEngine:
        if self._engine is not None:
            return self._engine
        if not self.model_path.is_file():
            raise ModelUnavailableError(
                f"The GGUF model file {self.model_path} does not exist; point "
                "TOWNSQUARE_CHAT_MODEL_PATH at a GGUF file, or unset it to use a packaged model."
            )
        self._engine = load_engine(
            resolve_binding(self.binding),
            self.model_path,
            n_ctx=self.n_ctx,
            n_threads=self.n_threads,
        )
        return self._engine

    def _resolved_format(self, engine: LlamaEngine) -> PromptFormat:
        if self.prompt_format != "auto":
            return self.prompt_format
        return "chatml" if "<|im_start|>" in engine.chat_template else "transcript"


def resolve_binding(choice: BindingChoice) -> LlamaBinding:
    """The binding ``choice`` names; for ``auto``, llama-cpp-python when it is installed (pip
    compiled it for this CPU), else cyllama, else ``ModelUnavailableError`` naming both."""
    if choice != "auto":
        return choice
    if importlib.util.find_spec("llama_cpp") is not None:
        return "llama-cpp-python"
    if importlib.util.find_spec("cyllama") is not None:
        return "cyllama"
    raise ModelUnavailableError(
        "No llama.cpp binding is installed: `pip install cyllama` (prebuilt; Linux x86-64 with "
        "AVX2) or `pip install llama-cpp-python` (compiled for this CPU, minutes), or set "
        "TOWNSQUARE_CHAT_BACKEND=openai to use a model server."
    )


def load_engine(
    binding: LlamaBinding, model_path: Path, *, n_ctx: int, n_threads: int
) -> LlamaEngine:
    """Load ``model_path`` in ``binding``; a missing or broken binding raises
    ``ModelUnavailableError`` with what to install."""
    if binding == "py-sync":
        from townsquare.ai._llama_py_sync import PySyncEngine

        return PySyncEngine(model_path, n_ctx=n_ctx, n_threads=n_threads)
    if binding == "cyllama":
        from townsquare.ai._llama_cyllama import CyllamaEngine

        return CyllamaEngine(model_path, n_ctx=n_ctx, n_threads=n_threads)
    from townsquare.ai._llama_cpp_python import LlamaCppPythonEngine

    return LlamaCppPythonEngine(model_path, n_ctx=n_ctx, n_threads=n_threads)


def check_binding(choice: BindingChoice) -> LlamaBinding:
    """Import the binding ``choice`` resolves to and load its native library without loading
    a model (``doctor``); the binding's name."""
    binding = resolve_binding(choice)
    if binding == "py-sync":
        from townsquare.ai._llama_py_sync import load_library

        load_library()
    elif binding == "cyllama":
        from townsquare.ai._llama_cyllama import load_library as load_cyllama

        load_cyllama()
    else:
        from townsquare.ai._llama_cpp_python import import_llama_cpp

        import_llama_cpp()
    return binding
