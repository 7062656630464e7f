"""Training the feed model: benchmark data, batches into losses, the train loop with model
selection, evaluation and metrics, checkpoints, curves, the SASRec baseline, and whole runs from
the platform's log or a benchmark file (`pipeline`)."""
