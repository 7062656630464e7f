"""The llama-cpp-py-sync engine: what runs without the model, and what needs it (``slow``).

The binding-independent behaviour (streaming, stops, JSON) is tested for both bindings in
``test_llamacpp.py``; the real-model tests skip where the prebuilt library does not load.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from townsquare.ai import ChatMessage, ChatRequest, LlamaCppChatModel, ModelUnavailableError
from townsquare.ai._llama_py_sync import PySyncEngine, json_schema_grammar
from townsquare.ai.llamacpp import check_binding

pytest.importorskip("llama_cpp_py_sync", reason="the py-sync extra is not installed")


def test_the_binding_is_chosen_by_settings(tmp_path: Path) -> None:
    from townsquare.ai import build_chat_model
    from townsquare.settings import Settings

    settings = Settings(data_dir=tmp_path, chat_model="smollm2-135m", llama_binding="py-sync")
    model = build_chat_model(settings)
    assert isinstance(model, LlamaCppChatModel)
    assert model.binding == "py-sync"
    assert Settings(data_dir=tmp_path).llama_binding == "auto"


@pytest.mark.parametrize(
    ("module", "binding", "hint"),
    [
        ("llama_cpp_py_sync._cffi_bindings", "py-sync", r"pip install 'townsquare\[py-sync\]'"),
        ("llama_cpp", "llama-cpp-python", "pip install llama-cpp-python"),
    ],
)
def test_a_missing_binding_says_what_to_install(
    module: str, binding: str, hint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes the import fail
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF")
    model = LlamaCppChatModel(path, prompt_format="chatml", binding=binding)  # type: ignore[arg-type]
    with pytest.raises(ModelUnavailableError, match=hint):
        model.complete(ChatRequest([ChatMessage("user", "hi")]))


def test_a_library_that_does_not_load_names_glibc_and_the_other_binding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import llama_cpp_py_sync._cffi_bindings as bindings

    def fail() -> None:
        raise RuntimeError("libc.so.6: version `GLIBC_2.38' not found")

    monkeypatch.setattr(bindings, "get_lib", fail)
    with pytest.raises(ModelUnavailableError, match=r"glibc 2\.38.*LLAMA_BINDING=llama-cpp-python"):
        check_binding("py-sync")


def test_a_file_that_is_not_gguf_is_reported(tmp_path: Path, py_sync: None) -> None:
    path = tmp_path / "broken.gguf"
    path.write_bytes(b"not a model")
    model = LlamaCppChatModel(path, prompt_format="chatml", binding="py-sync")
    with pytest.raises(ModelUnavailableError, match="could not load"):
        model.complete(ChatRequest([ChatMessage("user", "hi")]))


def test_the_grammar_keeps_what_the_schema_says_but_numeric_bounds() -> None:
    schema = {
        "type": "object",
        "properties": {
            "tool": {"enum": ["search_posts", "send_message"]},
            "id": {"type": "integer", "minimum": 1},
            "text": {"type": "string", "maxLength": 40},
        },
        "required": ["tool", "id"],
    }
    grammar = json_schema_grammar(schema)
    assert r'"\"search_posts\""' in grammar
    assert "char{0,40}" in grammar
    assert "root ::=" in grammar
    assert 'space ::= " "?' in grammar.splitlines()  # compact JSON, no indents to spend tokens on
    # A property that happens to be called "minimum" is a property, not a bound.
    named = {"type": "object", "properties": {"minimum": {"type": "integer"}}}
    assert '"\\"minimum\\""' in json_schema_grammar({**named, "required": ["minimum"]})


def test_a_schema_the_converter_cannot_express_is_refused() -> None:
    with pytest.raises(ValueError, match="pattern"):
        json_schema_grammar({"type": "string", "pattern": "^a+$"})


@pytest.mark.slow
def test_an_unseeded_request_reuses_the_cached_prompt_prefix(
    smollm2_py_sync: LlamaCppChatModel,
) -> None:
    system = ChatMessage("system", "You answer questions about the town square. " * 8)

    def ask(question: str, seed: int | None) -> ChatRequest:
        return ChatRequest([system, ChatMessage("user", question)], max_tokens=4, seed=seed)

    smollm2_py_sync.complete(ask("When is the market?", None))
    engine = smollm2_py_sync._engine
    assert isinstance(engine, PySyncEngine)
    smollm2_py_sync.complete(ask("Where is the bakery?", None))
    assert engine.reused_tokens > smollm2_py_sync.count_tokens(system.content)
    smollm2_py_sync.complete(ask("Where is the bakery?", 42))
    assert engine.reused_tokens == 0


@pytest.mark.parametrize("binding", ["py-sync", "llama-cpp-python"])
def test_doctor_reports_a_missing_binding(
    binding: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from townsquare.doctor import _chat_model
    from townsquare.settings import Settings

    monkeypatch.setitem(sys.modules, "llama_cpp_py_sync._cffi_bindings", None)
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    settings = Settings(data_dir=tmp_path, chat_model="smollm2-135m", llama_binding=binding)
    check = _chat_model(settings, deep=False)
    assert not check.ok
    assert "pip install" in check.detail


def test_doctor_names_the_binding_it_loaded(tmp_path: Path) -> None:
    from townsquare.doctor import _chat_model
    from townsquare.settings import Settings

    check = _chat_model(Settings(data_dir=tmp_path, chat_model="smollm2-135m"), deep=False)
    assert check.ok, check
    assert "smollm2-135m on llama-cpp-python: found" in check.detail


def test_doctor_names_the_binding_auto_chose(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from townsquare.doctor import _chat_model
    from townsquare.settings import Settings

    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # installed with uv: no compile
    check = _chat_model(Settings(data_dir=tmp_path, chat_model="smollm2-135m"), deep=False)
    assert check.ok, check
    assert "smollm2-135m on cyllama: found" in check.detail
