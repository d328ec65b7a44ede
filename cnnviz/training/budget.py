"""What one training run may cost, so a 2-core classroom server keeps up while thirty runs share it.

Measured on this machine (bench/train_budget.py): a network at the limit trains a batch of 256
digits in well under a second on two idle cores, so Stop (checked between batches) takes effect
within a second, and thirty such runs, queued two at a time, stay within the server's memory.
Opened files are held to a larger limit (cnnviz.training.checkpoints): one answer costs far less
than training, which is three passes (forward, backward, update) over every digit of every batch.
"""

from cnnviz.network.layers import Architecture, LayerError

MAX_TRAINING_MULTIPLY_ADDS = 10_000_000  # per digit, forward: 3.3 times the bundled model, 24 times LeNet-5
MAX_TRAINING_WEIGHTS = 2_000_000  # 8 MB of float32, about 32 MB while training with Adam's two moments


def check_budget(architecture: Architecture) -> None:
    """LayerError in one sentence naming the layer that takes the network past what training here affords."""
    total_cost = total_weights = 0
    for number, (text, cost, weights) in enumerate(architecture.costs(), start=1):
        total_cost, total_weights = total_cost + cost, total_weights + weights
        where = text if text.startswith("the output layer") else f"layer {number} ({text})"
        if total_cost > MAX_TRAINING_MULTIPLY_ADDS:
            raise LayerError(
                f"{where} takes the network to {total_cost / 1e6:,.1f} million multiply-adds per digit; training "
                f"on this server allows {MAX_TRAINING_MULTIPLY_ADDS / 1e6:,.0f} million (the bundled model needs 3): "
                "use fewer channels, a smaller kernel, or pool earlier"
            )
        if total_weights > MAX_TRAINING_WEIGHTS:
            raise LayerError(
                f"{where} takes the network to {total_weights / 1e6:,.1f} million weights; training on this server "
                f"allows {MAX_TRAINING_WEIGHTS / 1e6:,.0f} million (the bundled model has 0.2): use fewer units or "
                "channels, or pool before flattening"
            )
