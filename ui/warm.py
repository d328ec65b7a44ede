"""What the first visitor would otherwise wait for: the heavy imports, the bundled model, its first answer."""


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
    from ui.images import default_sample, preprocess_cached, sample_bytes
    from ui.models import bundled_model

    prepared = preprocess_cached(sample_bytes()[default_sample()])
    bundled_model().capture(prepared.tensor)
    tidy_classes()


def tidy_classes() -> None:
    """At server start, if a class database is there: classes past their time end now (and on a timer after)."""
    from cnnviz.classroom.schema import has_classes

    if has_classes():
        from ui.classroom import class_store

        class_store()  # the store's timer expires at once, in the background, then every few minutes
