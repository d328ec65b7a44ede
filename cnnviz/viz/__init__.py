"""Figure builders: each takes numpy arrays and returns a Plotly figure; none runs the model."""

from cnnviz.viz.curves import epochs_figure, grad_norms_figure, loss_figure
from cnnviz.viz.feature_maps import feature_maps_figure, pooling_figure
from cnnviz.viz.filters import filters_figure
from cnnviz.viz.probabilities import logits_figure, probability_bars

__all__ = [
    "epochs_figure",
    "feature_maps_figure",
    "filters_figure",
    "grad_norms_figure",
    "logits_figure",
    "loss_figure",
    "pooling_figure",
    "probability_bars",
]
