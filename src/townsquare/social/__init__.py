"""The social substrate: accounts, posts, follows, messages and the event log.

Studio, feed and tasks read what is recorded here and write back only through these functions.
Each function works inside the caller's session; the caller commits.
"""
