"""Direct messages with an agent: who answers a thread (``agent_threads``), a member sending
(``sending``), the one path of a reply (``answering``: the conversation pipeline, or a business
agent's turn) and the background ``worker`` that runs it."""
