"""Search: one port over stacks, datasets and templates, fed by the outbox, with two backends."""
