"""The network: a list of layers, the model built from it, one walk through it, and every number taken apart."""
