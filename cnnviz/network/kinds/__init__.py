"""Every kind of layer, one record each (a module each here): the one table the app asks about layers.

A new kind of layer is one new module here, one line below, and its tests.
"""

from cnnviz.network.kinds.activation import Activation
from cnnviz.network.kinds.batch_norm import BatchNorm
from cnnviz.network.kinds.conv import Conv
from cnnviz.network.kinds.dropout import Dropout
from cnnviz.network.kinds.flatten import Flatten
from cnnviz.network.kinds.linear import Linear
from cnnviz.network.kinds.pool import Pool
from cnnviz.network.kinds.residual import Residual
from cnnviz.network.layer import Layer

KINDS: tuple[type[Layer], ...] = (Conv, Activation, Pool, BatchNorm, Dropout, Flatten, Linear, Residual)
BY_KIND: dict[str, type[Layer]] = {kind.kind: kind for kind in KINDS}  # as files store it: "conv", "act", ...
BY_HEAD: dict[str, type[Layer]] = {head: kind for kind in KINDS for head in kind.heads}  # as people write it

__all__ = ["BY_HEAD", "BY_KIND", "KINDS", "Activation", "BatchNorm", "Conv", "Dropout", "Flatten", "Linear", "Pool"]
__all__ += ["Residual"]  # one list, two lines: the kinds themselves, for `from cnnviz.network.kinds import Conv`
