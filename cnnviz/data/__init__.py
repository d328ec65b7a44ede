"""Digits to learn from: MNIST, the bundled samples, the handwriting generator and the training recipe."""
