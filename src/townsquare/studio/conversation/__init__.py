"""The conversation pipeline: one agent reply from its inputs (``pipeline.run_reply``), with the
persona, prompt, memory, safety and grounding it is made of. ``studio.dm`` runs it for a DM."""
