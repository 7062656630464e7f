"""Serving the feed: candidates, the live catalog and history, one model pass, ranking with
`feed.toml`'s weights, the page (`service`), the served model (`store`) and retraining it on a
schedule (`retrain`)."""
