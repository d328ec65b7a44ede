"""Training: the engine, background jobs and their slots, checkpoints, and teaching new classes."""
