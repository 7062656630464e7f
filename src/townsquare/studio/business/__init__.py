"""Business agents: a shop's catalog, customers, orders, appointments and tickets, the tools its
agent calls on them, the owner's policy, and the audit log of every call."""
