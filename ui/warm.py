"""What the first visitor would otherwise wait for: the heavy imports, the bundled model, its first answer."""


def warm() -> None:
    """Route every page through navigation.py, guard what browsers send; import every page's modules, load the
    bundled model, read the default sample."""
    from ui.internals import guard_widget_states, serve_every_page_through_navigation

    serve_every_page_through_navigation()
    guard_widget_states()
    import ui.guess  # noqa: F401
    import ui.settings  # noqa: F401
    import ui.take_home  # noqa: F401
    import ui.views  # noqa: F401 - imported for their import time
    from ui.images import default_sample, preprocess_cached, sample_bytes
    from ui.models import bundled_model

    prepared = preprocess_cached(sample_bytes()[default_sample()])
    bundled_model().capture(prepared.tensor)
