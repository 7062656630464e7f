"""What an agent knows: its owner's posts and uploaded files, chunked, embedded and searchable.

The flow, one module a step: ``extract`` (file bytes -> sections with locators), ``chunking``
(sections -> passages of 120-200 words), ``store`` (bytes on disk, rows in the database),
``ingest`` (the background worker that indexes uploads), ``sync`` (the owner's posts, kept in
step), ``index`` (BM25 + embeddings, fused by reciprocal rank), ``cache`` and ``retrieval``
(the ``Retriever`` the reply pipeline calls).
"""
