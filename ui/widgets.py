"""Keys of the widgets more than one file touches; those bound to the URL (bind="query-params") are its parameters."""

SOURCE = "source"  # where the digit comes from (URL)
SAMPLE = "sample"  # which sample (URL)
PALETTE = "palette"  # colours (URL)
LAYER = "layer"  # the selected cell: conv layer, channel, row, column (URL)
CHANNEL = "channel"
ROW = "row"
COL = "col"
VIEW = "view"  # Explore's open tab (URL)
DIGIT = "digit"  # the class whose last-layer contributions are shown
INPUT_CHANNEL = "input_channel"  # which input channel's numbers a deep layer's arithmetic shows
TEMPERATURE = "temperature"
STAGE = "stage"  # Present's stage (URL)
TEACH_NAMES = "teach_names"  # the Teach page's class names (the ready-made set sets them too)

CELL_VIEW = "How one number is computed"
PLAYER_VIEW = "Watch the convolution"
POOLING_VIEW = "Max-pooling"
PREPARING_VIEW = "Preparing the image"
FILTERS_VIEW = "Filters"
MAPS_VIEW = "Every map"
DECISION_VIEW = "The decision"
WHY_VIEW = "Why this answer?"
FOOLED_VIEW = "Can it be fooled?"
LEARN_VIEW = "One step of learning"
VIEWS = (
    CELL_VIEW,
    PLAYER_VIEW,
    POOLING_VIEW,
    PREPARING_VIEW,
    FILTERS_VIEW,
    MAPS_VIEW,
    DECISION_VIEW,
    WHY_VIEW,
    FOOLED_VIEW,
    LEARN_VIEW,
)
CELL_VIEWS = (CELL_VIEW, PLAYER_VIEW, POOLING_VIEW)  # views of the selected cell: a click keeps whichever is open
