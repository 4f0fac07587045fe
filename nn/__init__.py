"""nn: modules, layers, losses and training on top of autograd (being built: see the issues)."""
