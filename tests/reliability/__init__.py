"""Reliability suite: error contract, special values, invariants, fuzzing, determinism, memory."""
