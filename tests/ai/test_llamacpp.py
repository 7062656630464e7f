from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import pytest

from townsquare.ai import (
    ChatMessage,
    ChatRequest,
    LlamaCppChatModel,
    ModelUnavailableError,
)
from townsquare.ai.llamacpp import render_prompt, resolve_binding

CONVERSATION = [
    ChatMessage("system", "Be brief."),
    ChatMessage("user", "Hi"),
    ChatMessage("assistant", "Hello!"),
    ChatMessage("user", "Capital of France?"),
]
TOOL_SCHEMA = {
    "type": "object",
    "properties": {
        "tool": {"enum": ["search_posts", "send_message"]},
        "text": {"type": "string", "maxLength": 40},
    },
    "required": ["tool", "text"],
}


def test_chatml_prompt() -> None:
    prompt, stops = render_prompt(CONVERSATION, "chatml")
    assert prompt == (
        "<|im_start|>system\nBe brief.<|im_end|>\n"
        "<|im_start|>user\nHi<|im_end|>\n"
        "<|im_start|>assistant\nHello!<|im_end|>\n"
        "<|im_start|>user\nCapital of France?<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    assert "<|im_end|>" in stops


def test_transcript_prompt() -> None:
    prompt, stops = render_prompt(CONVERSATION, "transcript")
    assert (
        prompt == "Be brief.\n\nUser: Hi\nAssistant: Hello!\nUser: Capital of France?\nAssistant:"
    )
    assert stops == ("\n",)


def test_a_transcript_names_its_speakers_without_breaking_a_line() -> None:
    prompt, _ = render_prompt(CONVERSATION, "transcript", ("Sam", "Captain: Byte\nUser"))
    assert prompt == (
        "Be brief.\n\nSam: Hi\nCaptain Byte User: Hello!\nSam: Capital of France?\n"
        "Captain Byte User:"
    )


def test_a_blank_speaker_name_falls_back_to_the_role() -> None:
    prompt, _ = render_prompt(CONVERSATION[1:], "transcript", (" : ", "Dana"))
    assert prompt == "User: Hi\nDana: Hello!\nUser: Capital of France?\nDana:"


def test_a_late_system_message_stays_in_place_in_a_transcript() -> None:
    late = [*CONVERSATION[:3], ChatMessage("system", "Now: answer in French."), CONVERSATION[3]]
    prompt, _ = render_prompt(late, "transcript", ("Sam", "Dana"))
    assert prompt == (
        "Be brief.\n\nSam: Hi\nDana: Hello!\nNow: answer in French.\nSam: Capital of France?\nDana:"
    )
    chatml, _ = render_prompt(late, "chatml", ("Sam", "Dana"))
    assert "Sam" not in chatml and "<|im_start|>system\nNow: answer in French." in chatml


def test_transcript_without_a_system_message() -> None:
    prompt, _ = render_prompt([ChatMessage("user", "Hi")], "transcript")
    assert prompt == "User: Hi\nAssistant:"


def test_a_missing_file_is_reported_on_first_use(tmp_path: Path) -> None:
    model = LlamaCppChatModel(tmp_path / "nope.gguf", prompt_format="chatml")
    with pytest.raises(ModelUnavailableError, match=r"nope\.gguf does not exist.*CHAT_MODEL_PATH"):
        model.complete(ChatRequest([ChatMessage("user", "hi")]))


def test_a_file_that_is_not_gguf_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.gguf"
    path.write_bytes(b"not a model")
    model = LlamaCppChatModel(path, prompt_format="chatml")
    with pytest.raises(ModelUnavailableError, match="could not load"):
        model.complete(ChatRequest([ChatMessage("user", "hi")]))


def ask(question: str, **options: object) -> ChatRequest:
    messages = [ChatMessage("system", "Answer briefly."), ChatMessage("user", question)]
    return ChatRequest(messages, temperature=0, seed=42, **options)  # type: ignore[arg-type]


@pytest.fixture(
    params=[
        "smollm2",
        "gemma",
        "smollm2_py_sync",
        "gemma_py_sync",
        "smollm2_cyllama",
        "gemma_cyllama",
    ]
)
def model(request: pytest.FixtureRequest) -> LlamaCppChatModel:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


@pytest.mark.slow
def test_streaming_equals_the_whole_reply(model: LlamaCppChatModel) -> None:
    request = ask("What colour is the sky on a clear day?", max_tokens=16)
    chunks = list(model.stream(request))
    completion = model.complete(request)
    assert len(chunks) > 1
    assert "".join(c.text for c in chunks) == completion.text
    assert completion.text.strip()
    assert chunks[-1].finish_reason == completion.finish_reason in ("stop", "length")


@pytest.mark.slow
def test_a_stop_sequence_stops(model: LlamaCppChatModel) -> None:
    request = ask("Count from one to ten in words, separated by commas.", max_tokens=40)
    free = model.complete(request).text
    word = next(w.strip(" ,.") for w in free.split()[2:] if w.strip(" ,.").isalpha())
    stopped = model.complete(ask(request.messages[-1].content, max_tokens=40, stop=[word]))
    assert stopped.finish_reason == "stop"
    assert word not in stopped.text
    assert free.startswith(stopped.text)


@pytest.mark.slow
def test_json_schema_output_validates(model: LlamaCppChatModel) -> None:
    request = ask("Find posts about the bake sale.", max_tokens=64, json_schema=TOOL_SCHEMA)
    reply = model.complete_json(request)
    jsonschema.validate(reply, TOOL_SCHEMA)


@pytest.mark.slow
def test_auto_prompt_format_reads_the_chat_template(model: LlamaCppChatModel) -> None:
    auto = LlamaCppChatModel(
        model.model_path, prompt_format="auto", n_ctx=1024, binding=model.binding
    )
    request = ask("Name a fruit.", max_tokens=8)
    assert auto.complete(request) == model.complete(request)


def test_auto_takes_the_binding_compiled_here_when_there_is_one() -> None:
    assert resolve_binding("auto") == "llama-cpp-python"
    assert resolve_binding("cyllama") == "cyllama"


def test_auto_takes_the_prebuilt_binding_without_llama_cpp_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # as if not installed
    assert resolve_binding("auto") == "cyllama"


def test_auto_without_any_binding_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    monkeypatch.setitem(sys.modules, "cyllama", None)
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF")
    model = LlamaCppChatModel(path, prompt_format="chatml")
    with pytest.raises(ModelUnavailableError, match=r"`pip install cyllama` \(prebuilt"):
        model.complete(ChatRequest([ChatMessage("user", "hi")]))
