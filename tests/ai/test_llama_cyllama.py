"""The cyllama engine: what runs without the model, and what needs it (``slow``).

The binding-independent behaviour (streaming, stops, JSON) is tested for every binding in
``test_llamacpp.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import pytest

from townsquare.ai import ChatMessage, ChatRequest, LlamaCppChatModel, ModelUnavailableError
from townsquare.ai._llama_cyllama import CyllamaEngine, json_schema_grammar
from townsquare.ai.llamacpp import check_binding

pytest.importorskip("cyllama", reason="the cyllama extra is not installed")

ANSWER_SCHEMA = {
    "type": "object",
    "properties": {
        "answer": {"type": "string", "maxLength": 12},
        "confidence": {"type": "integer", "minimum": 1, "maximum": 5},
    },
    "required": ["answer", "confidence"],
}


def test_the_binding_is_chosen_by_settings(tmp_path: Path) -> None:
    from townsquare.ai import build_chat_model
    from townsquare.settings import Settings

    settings = Settings(data_dir=tmp_path, chat_model="smollm2-135m", llama_binding="cyllama")
    model = build_chat_model(settings)
    assert isinstance(model, LlamaCppChatModel)
    assert model.binding == "cyllama"


def test_a_missing_binding_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "cyllama.llama.llama_cpp", None)  # makes the import fail
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF")
    model = LlamaCppChatModel(path, prompt_format="chatml", binding="cyllama")
    with pytest.raises(
        ModelUnavailableError,
        match=r"needs cyllama; run `pip install cyllama==0\.2\.18`.*=llama-cpp-python",
    ):
        model.complete(ChatRequest([ChatMessage("user", "hi")]))


def test_a_cpu_without_avx2_is_refused_before_the_library_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import townsquare.ai._llama_cyllama as engine

    monkeypatch.setattr(engine, "cpu_flags", lambda: frozenset({"sse4_2", "avx", "f16c"}))
    monkeypatch.setitem(sys.modules, "cyllama.llama.llama_cpp", None)  # never reached
    with pytest.raises(
        ModelUnavailableError,
        match=r"needs a CPU with avx2, bmi2, f16c, fma; this one lacks avx2, bmi2, fma\. "
        r"Set TOWNSQUARE_LLAMA_BINDING=llama-cpp-python",
    ):
        check_binding("cyllama")


def test_a_file_that_is_not_gguf_is_reported(tmp_path: Path, cyllama: None) -> None:
    path = tmp_path / "broken.gguf"
    path.write_bytes(b"not a model")
    model = LlamaCppChatModel(path, prompt_format="chatml", binding="cyllama")
    with pytest.raises(ModelUnavailableError, match=r"could not load .*expected magic b'GGUF'"):
        model.complete(ChatRequest([ChatMessage("user", "hi")]))


def test_the_grammar_keeps_integer_ranges_and_string_lengths() -> None:
    grammar = json_schema_grammar(ANSWER_SCHEMA).splitlines()
    assert "confidence ::= ([1-5]) space" in grammar
    assert 'answer ::= "\\"" char{0,12} "\\"" space' in grammar
    assert 'space ::= " "?' in grammar  # compact JSON, no indents to spend tokens on


def test_doctor_names_the_binding(tmp_path: Path) -> None:
    from townsquare.doctor import _chat_model
    from townsquare.settings import Settings

    settings = Settings(data_dir=tmp_path, chat_model="smollm2-135m", llama_binding="cyllama")
    check = _chat_model(settings, deep=False)
    assert check.ok, check
    assert "smollm2-135m on cyllama: found" in check.detail


@pytest.mark.slow
def test_an_unseeded_request_reuses_the_cached_prompt_prefix(
    smollm2_cyllama: LlamaCppChatModel,
) -> None:
    system = ChatMessage("system", "You answer questions about the town square. " * 8)

    def ask(question: str, seed: int | None) -> ChatRequest:
        return ChatRequest([system, ChatMessage("user", question)], max_tokens=4, seed=seed)

    seeded = smollm2_cyllama.complete(ask("Where is the bakery?", 42))
    smollm2_cyllama.complete(ask("When is the market?", None))
    engine = smollm2_cyllama._engine
    assert isinstance(engine, CyllamaEngine)
    assert smollm2_cyllama.complete(ask("Where is the bakery?", None)).text
    assert engine.reused_tokens > smollm2_cyllama.count_tokens(system.content)
    assert smollm2_cyllama.complete(ask("Where is the bakery?", 42)) == seeded
    assert engine.reused_tokens == 0


@pytest.mark.slow
def test_an_integer_range_is_kept_by_the_grammar(gemma_cyllama: LlamaCppChatModel) -> None:
    request = ChatRequest(
        [ChatMessage("user", "How sure are you, from 1 to 5, that the sky is blue? 100?")],
        max_tokens=32,
        temperature=0,
        seed=7,
        json_schema=ANSWER_SCHEMA,
    )
    jsonschema.validate(gemma_cyllama.complete_json(request), ANSWER_SCHEMA)


@pytest.mark.slow
def test_characters_split_across_tokens_arrive_whole(smollm2_cyllama: LlamaCppChatModel) -> None:
    engine = smollm2_cyllama._engine or smollm2_cyllama._load()
    assert isinstance(engine, CyllamaEngine)
    text = "Café 🙂 漢字 done"
    tokens = engine._tokenize(text, special=False)
    from townsquare.ai._llama_cyllama import _Steps

    steps = _Steps(engine, sampler=None)
    pieces = [steps.text(token) for token in tokens]
    assert "".join(pieces) + steps.flush() == text
    assert "\ufffd" not in "".join(pieces)
    assert "" in pieces  # the emoji's first bytes were held until it was whole
