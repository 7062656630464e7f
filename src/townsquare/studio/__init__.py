"""AI Studio: agents (persona, character cards, knowledge, memory, the reply pipeline, safety,
rehearsal). Services here never commit; the API, CLI and workers do."""
