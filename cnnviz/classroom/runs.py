"""A finished training run as the class sees it: its network and settings, final accuracies, and its curves."""

from dataclasses import asdict

from cnnviz.training.engine import EpochEnd


def run_summary(network: str, settings: object, epochs: list[EpochEnd]) -> dict:
    """What a student sends to the class: plain numbers (strict JSON), nothing personal but the nickname beside it."""
    last = epochs[-1] if epochs else None
    chosen = {k: v for k, v in asdict(settings).items() if isinstance(v, (int, float, str, bool)) or v is None}
    return {
        "network": str(network)[:80],
        "settings": chosen,
        "epochs": [[e.epoch, e.train_loss, e.train_accuracy, e.val_loss, e.val_accuracy, e.seconds] for e in epochs],
        "train_accuracy": last.train_accuracy if last else None,
        "val_accuracy": last.val_accuracy if last else None,
    }


def run_epochs(summary: dict) -> list[EpochEnd]:
    """A shared run's curves back as EpochEnd records (for the comparison chart)."""
    return [EpochEnd(*values) for values in summary.get("epochs", [])]
