"""The conversation: one member message in a DM with an agent, answered (see ``answering``)."""
