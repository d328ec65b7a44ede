"""What the first visitor would otherwise wait for: the heavy imports, the bundled model, its first answer; and,
once a first screen is drawn, what a class waits for later (the Filters view's search), in the background."""

import os
import threading

SHOWN = threading.Event()  # a first screen has been drawn: work nobody waits for yet may begin


def warm() -> None:
    """Route every page through navigation.py, guard what browsers send; import every page's modules, load the
    bundled model, read the default sample; expire old classes."""
    from ui.internals import guard_widget_states, serve_every_page_through_navigation

    serve_every_page_through_navigation()
    guard_widget_states()
    import pandas  # noqa: F401 - Plotly imports it at a chart's first use: two sessions at once found it half made

    import ui.guess  # noqa: F401
    import ui.settings  # noqa: F401
    import ui.take_home  # noqa: F401
    import ui.views  # noqa: F401 - imported for their import time
    from ui.images import default_sample, sample_image
    from ui.models import activations_of, bundled_model

    prepared = sample_image(default_sample())
    activations_of(bundled_model(), prepared.tensor)
    tidy_classes()


def first_screen_shown() -> None:
    """A page tells the server its first screen is drawn (cheap: every run may call it)."""
    SHOWN.set()


def warm_after_first_screen() -> None:
    """Start a thread that, once a first screen is drawn (or nobody came for 30 s), searches the bundled model's
    strongest patches for the Filters view, imports what Start a class needs, then makes the Filters view's dreamed
    inputs (what is searched and made is kept on disk: later starts read it)."""
    threading.Thread(target=_after_first_screen, name="cnnviz-after-first-screen", daemon=True).start()


def _after_first_screen() -> None:
    SHOWN.wait(timeout=30)
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)  # a student's rerun comes first
    except (AttributeError, OSError):
        pass
    from ui.models import bundled_model
    from ui.views.filters import dreamed, strongest

    entry = bundled_model()
    layers = entry.model.conv_layers()
    for layer in layers:  # under a second for every layer: what the Filters view shows first
        strongest(entry, entry.key, layer)
    import segno  # noqa: F401 - the join link's QR code

    import cnnviz.classroom.store  # noqa: F401 - the database library: half a second a teacher's press would wait for

    for layer in layers:  # a second or two more (the first optimiser imports torch._dynamo): drawn after the patches
        dreamed(entry, entry.key, layer)


def tidy_classes() -> None:
    """At server start, if a class database is there: classes past their time end now (and on a timer after)."""
    from cnnviz.classroom.place import has_classes  # SQLAlchemy only where there are classes

    if has_classes():
        from ui.classroom import class_store

        class_store()  # the store's timer expires at once, in the background, then every few minutes
