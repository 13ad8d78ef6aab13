"""First-account set-up of the base platform: preflight, toolkit, assets, stacks, seed, destroy."""
