"""optim: gradient descent and its family on top of autograd (being built: see the issues)."""
