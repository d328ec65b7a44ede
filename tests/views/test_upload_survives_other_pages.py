"""An uploaded image stays on Explore after a visit to another page, until the student removes it."""

from cnnviz.data.handwriting import draw_digit, encode

from page_support import app_page, choose_source, headline


def captions(at) -> str:
    """Every caption of the page, Markdown's escapes aside."""
    return " ".join(c.value for c in at.caption).replace("\\", "")


def test_an_upload_is_still_shown_back_from_another_page_and_goes_when_removed():
    at = app_page()
    choose_source(at, "Upload")
    at.file_uploader[0].set_value(("two.png", encode(draw_digit(2, 200, seed=3), "PNG"), "image/png")).run()
    assert headline(at).startswith("## The network reads **2**")
    at.switch_page("pages/sandbox.py").run()
    assert not at.exception and "file two.png" in captions(at), "Sandbox works on it too"
    at.switch_page("pages/explore.py").run()
    assert not at.exception
    assert at.button_group(key="source").value == "Upload", "the source the student had chosen"
    assert headline(at).startswith("## The network reads **2**"), "the upload, not the default sample"
    assert "Still showing file two.png" in captions(at)
    at.button(key="forget_given").click().run()  # the uploader is empty now: the button beside it removes the file
    assert not [m for m in at.markdown if m.value.startswith("## The network ")]
    at.file_uploader[0].set_value(("five.png", encode(draw_digit(5, 200), "PNG"), "image/png")).run()
    assert headline(at).startswith("## The network reads **5**")
    at.file_uploader[0].set_value(None).run()  # removed in the uploader itself
    assert not [m for m in at.markdown if m.value.startswith("## The network ")]
