"""What a browser session keeps between reruns and across pages, behind named accessors.

Every session-state key is named here, once, and read and written only here:

- IMAGE: (description, Preprocessed) of the last good image. Explore sets it; Sandbox and Present read it.
- PICKED: (description, Preprocessed) of a digit picked on the Mistakes page, shown on Explore until dropped.
- GIVEN: {source: (description, Preprocessed)} of the last upload and webcam photo, and KEPT_SOURCE the source
  last chosen: Streamlit drops the uploader's and the source buttons' own keys on pages that do not draw them,
  so coming back to Explore finds both here instead of an empty uploader and the default sample.
- PALETTE: name of the chosen colours, kept for every page the same way as MODEL.
- MODEL: name of the chosen model. Explore's selectbox has its own widget key, which Streamlit drops on
  pages that do not draw it; this copy is kept for Sandbox and Present.
- SESSION_MODELS: {name: ModelEntry} of the models this session trained or opened from a file.
- OPENED_WEIGHTS: file id of the last weights file opened, so a rerun does not open it twice.
- JOB: this session's TrainingJob, if it started one.
- OWNER: a random token that tells this session's training job apart (AppTest gives every session one id).
- TEACHING: {class name: [28 x 28 inputs]} of the examples a student gave the Teach page.
- TEACHING_JOB: the Teach page's last teaching (cnnviz.training.teaching.TeachingJob), running or done, and the class
  names it was for.
- UPLOAD_ROUND: a counter in the Teach uploader's key: a new uploader, empty, after its files are added.
- TEACHING_CLASS: (code, teacher secret, PIN) of the class this session teaches (started on Present, found again
  in the browser's cookie after a reload, or taken back with the PIN); the secret never reaches a URL.
- STUDENT: (code, student id) of the class this session joined on the Class page (also kept in a cookie).
- CLASS_MESSAGE: a sentence about the class for the next run to show (a callback's refusal).
- SHOW_LINK: whether the projector shows the join link large.
- PUBLISHED: what this teacher's session last told the class: (its step, when it last said it was here).
- DRAWN: the class snapshot's version the page last drew (its poll redraws the page when it changes).
- PENDING_ANSWER: (question id, choice) a student gave while the database was away, sent again by the poll.
- SEATS: {cookie name: value} this session wants the browser to keep (ui.classroom writes them); a name is
  in it also once its cookie, as sent when the page opened, has been read.
- LESSON_AT: (lesson name, step number) the Lesson page shows; the URL's lesson and step mirror it.
- LESSON_PREDICTIONS: {(lesson, its file's digest, step id, model key, image key): Prediction} of the Lesson page.
- OWN_LESSON: a lesson this session opened from a file (cnnviz.lesson.lesson.Lesson).
- LESSON_SHOWN: the prediction keys of the Lesson steps whose answer this teacher showed a class (the class's
  answers revealed, or shown without asking): the projector then shows the step's view again.
- LESSON_FILE_ERROR: why the last lesson file could not be opened, until the page says it.

Widget keys that code reads or sets are named here too (a page passes the key to its widget); those bound to
the URL (bind="query-params") are its parameters: SOURCE, SAMPLE, PALETTE_WIDGET, LAYER, CHANNEL, ROW, COL, STAGE,
and the Train page's settings (TRAIN_PREFIX + their names). VIEW holds Explore's open view's id in the URL
(?view=cell), LESSON and LESSON_STEP the Lesson page's lesson and step (?lesson=reading&step=3).
"""

import uuid
from urllib.parse import unquote

import streamlit as st

from cnnviz.network.model import Network
from cnnviz.reading.preprocess import Preprocessed
from cnnviz.training.jobs import TrainingJob
from cnnviz.viz.colors import DEFAULT, PALETTES, Palette
from ui.images import default_sample, sample_image
from ui.internals import session_id
from ui.models import BUNDLED, LENET, ModelEntry, bundled_model, lenet_model, model_entry

IMAGE = "current_image"
PICKED = "picked_image"
GIVEN = "given_images"
KEPT_SOURCE = "kept_source"
MODEL = "current_model"
PALETTE = "current_palette"
SESSION_MODELS = "session_models"
OPENED_WEIGHTS = "opened_weights"
JOB = "training_job"
OWNER = "owner_token"
TEACHING = "teaching_examples"
TEACHING_JOB = "teaching_job"
UPLOAD_ROUND = "teach_upload_round"
MODEL_WIDGET = "model"  # the key of Explore's model selectbox
RUNS = "finished_runs"  # the Train page's finished runs, kept to compare on one chart
STRONGEST = "strongest_cells"  # {layer: its strongest (channel, row, col)} for the current image
DROPOUT_SEED = "dropout_seed"  # Sandbox's dropout runs: a new seed for each "Run again"
PRESENT_KEYS = "present_keys"  # the keyboard listener of presenter mode (and of the Lesson page)
TEACHING_CLASS = "teaching_class"
STUDENT = "class_student"
CLASS_MESSAGE = "class_message"
SHOW_LINK = "class_show_link"
PUBLISHED = "class_published"
DRAWN = "class_drawn"
PENDING_ANSWER = "class_pending_answer"
SEATS = "class_seats"
CLASS_KIND = "class_question_kind"  # the kind of question the teacher will ask next
NICKNAME = "class_nickname"
TAKE_BACK_CODE = "class_take_back_code"  # the teacher's take-back form: the code and the PIN typed
TAKE_BACK_PIN = "class_take_back_pin"
GUESS_FIRST = "guess_first"  # Explore's switch: hide the answer until a guess
GUESSES = "guesses"  # {model key:image digest: the guessed class} for Guess first
LESSON_AT = "lesson_at"
LESSON_PREDICTIONS = "lesson_predictions"
OWN_LESSON = "own_lesson"
LESSON_SHOWN = "lesson_shown"
LESSON_NOTES = "lesson_notes"  # the Lesson page's "Teacher's notes" switch
LESSON_FILE_ERROR = "lesson_file_error"  # why the last lesson file could not be opened, until it is said

# widget keys (URL parameters where bound)
SOURCE = "source"  # where the digit comes from (URL)
SAMPLE = "sample"  # which sample (URL)
PALETTE_WIDGET = "palette"  # colours (URL)
LAYER = "layer"  # the selected cell: layer, channel, row, column (URL)
CHANNEL = "channel"
ROW = "row"
COL = "col"
VIEW = "view"  # the URL parameter holding Explore's open view, by its id
VIEW_TABS = "view_tabs"  # the key of Explore's tabs (their labels)
FILTER_TABS = "filter_tabs"  # the key of the Filters view's tabs, one per conv layer
OPEN_REQUEST = "open_request"  # a click on the overview: "cell" (open a cell's view) or "decision"
DIGIT = "digit"  # the class whose last-layer contributions are shown
INPUT_CHANNEL = "input_channel"  # which input channel's numbers a deep layer's arithmetic shows
TEMPERATURE = "temperature"
STAGE = "stage"  # Present's stage (URL)
LESSON = "lesson"  # the URL parameter of the Lesson page's lesson, by name
LESSON_STEP = "step"  # ... and of its step, 1-based
TEACH_NAMES = "teach_names"  # the Teach page's class names (the ready-made set sets them too)
TRAIN_PREFIX = "train_"  # the Train page's settings: train_epochs, train_lr, ... (URL)
TRAIN_LAYERS = "train_layer_list"  # the layer list being edited on the Train page (too long for the URL)
TRAIN_LAYERS_BOX = "train_layer_box"  # its text box's own key (dropped on other pages; TRAIN_LAYERS stays)
LESSON_MENU = "lesson_menu"  # the Lesson page's lesson menu ...
STEP_MENU = "lesson_step_menu"  # ... and its step menu
LESSON_UPLOAD = "lesson_upload"  # the Lesson page's uploader of lesson files
CELL_KEYS = (LAYER, CHANNEL, ROW, COL)  # the selected cell's four widget keys


# --- the image -----------------------------------------------------------------------------


def current_image() -> tuple[str, Preprocessed]:
    """(description, preprocessed) of the session's last good image, or the default sample."""
    chosen = st.session_state.get(IMAGE)
    if chosen is not None:
        return chosen
    title = default_sample()
    return f"sample {title}", sample_image(title)


def set_current_image(description: str, prepared: Preprocessed) -> None:
    """Make this the image every page works on."""
    st.session_state[IMAGE] = (description, prepared)


def pick_image(description: str, prepared: Preprocessed) -> None:
    """Show this digit on Explore (instead of the chosen image source) until the student drops it."""
    st.session_state[PICKED] = (description, prepared)


def picked_image() -> tuple[str, Preprocessed] | None:
    """The digit picked on the Mistakes page, if any."""
    return st.session_state.get(PICKED)


def drop_picked_image() -> None:
    """Back to the chosen image source."""
    st.session_state.pop(PICKED, None)


def keep_given(source: str, description: str, prepared: Preprocessed) -> None:
    """Keep an uploaded file or a webcam photo, to show again when the student comes back to Explore."""
    st.session_state.setdefault(GIVEN, {})[source] = (description, prepared)


def given(source: str) -> tuple[str, Preprocessed] | None:
    """The upload (or webcam photo) this session last gave, if the student has not removed it."""
    return st.session_state.get(GIVEN, {}).get(source)


def forget_given(source: str) -> None:
    """The student removed (or replaced) the file: forget the one kept."""
    st.session_state.get(GIVEN, {}).pop(source, None)


def keep_source(source: str) -> None:
    """Remember where the digit comes from, for the source buttons when Explore is opened again."""
    st.session_state[KEPT_SOURCE] = source


def kept_source() -> str | None:
    """Where the digit came from the last time Explore was drawn (None: never yet)."""
    return st.session_state.get(KEPT_SOURCE)


def has_current_image() -> bool:
    """Whether the session has chosen an image yet (else pages fall back to the default sample)."""
    return st.session_state.get(IMAGE) is not None


# --- the selected cell, Explore's tabs and their pickers -------------------------------------


def wanted_cell() -> tuple:
    """(layer, channel, row, col) as the pickers hold them, else as the URL gives them (a link opened fresh); None
    for each that neither has."""
    return tuple(_kept_or_linked(key) for key in CELL_KEYS)


def _kept_or_linked(key: str):
    value = st.session_state.get(key)
    return value if value is not None else st.query_params.get(key)


def settle_cell(layer: str, channel: int, row: int, col: int) -> None:
    """Correct the pickers that are kept to this cell (a smaller model, another image), before they are drawn."""
    for key, value in zip(CELL_KEYS, (layer, channel, row, col)):
        if key in st.session_state:
            st.session_state[key] = value


def start_cell_at(layer: str, channel: int, row: int, col: int) -> None:
    """The pickers' first values, where they have none yet."""
    for key, value in zip(CELL_KEYS, (layer, channel, row, col)):
        st.session_state.setdefault(key, value)


def select_cell(layer: str, channel: int, row: int, col: int) -> None:
    """Make this cell the selected one (from a callback, before the pickers are drawn)."""
    st.session_state[LAYER] = layer
    move_in_layer(channel, row, col)


def move_in_layer(channel: int, row: int, col: int) -> None:
    """Select another cell of the selected layer (from a callback)."""
    st.session_state[CHANNEL], st.session_state[ROW], st.session_state[COL] = channel, row, col


def selected_layer() -> str | None:
    """The layer picker's value."""
    return st.session_state.get(LAYER)


def keep_strongest_cells(cells: dict[str, tuple[int, int, int]]) -> None:
    """{layer: its strongest (channel, row, col)} for the image on screen, for when the layer picker changes."""
    st.session_state[STRONGEST] = cells


def strongest_cell_of(layer: str | None) -> tuple[int, int, int] | None:
    """The strongest cell of a layer for the image on screen, as last kept."""
    return st.session_state.get(STRONGEST, {}).get(layer)


def open_tab() -> str | None:
    """The label of Explore's open tab, once the tabs (or a link) chose one."""
    return st.session_state.get(VIEW_TABS)


def has_open_tab() -> bool:
    return VIEW_TABS in st.session_state


def set_open_tab(label: str) -> None:
    """Open this tab (before the tabs are drawn)."""
    st.session_state[VIEW_TABS] = label


def request_view(kind: str) -> None:
    """Ask Explore to open a kind of view on its next run: "cell" (a cell's arithmetic) or "decision"."""
    st.session_state[OPEN_REQUEST] = kind


def take_view_request() -> str | None:
    """The kind of view asked for by a click, once."""
    return st.session_state.pop(OPEN_REQUEST, None)


def chosen_class() -> int | None:
    """The class whose last-layer contributions the decision view shows."""
    return st.session_state.get(DIGIT)


def choose_class(index: int) -> None:
    st.session_state[DIGIT] = index


def input_channel() -> int | None:
    """Which input map's numbers a deep layer's arithmetic shows."""
    return st.session_state.get(INPUT_CHANNEL)


def set_input_channel(channel: int) -> None:
    st.session_state[INPUT_CHANNEL] = channel


def overview_click(key: str):
    """What the overview drawn under this key last reported clicked (sent by the browser: check it), else None."""
    value = st.session_state.get(key)
    return value.get("clicked") if isinstance(value, dict) else None


def key_pressed() -> str | None:
    """The key the presenter's keyboard listener last heard ("next", "previous", ...)."""
    return (st.session_state.get(PRESENT_KEYS) or {}).get("key")


# --- models ----------------------------------------------------------------------------------


def available_models() -> dict[str, ModelEntry]:
    """The bundled models first, then the models this session trained or opened."""
    return {BUNDLED: bundled_model(), LENET: lenet_model(), **st.session_state.get(SESSION_MODELS, {})}


def current_model() -> ModelEntry:
    """The model the session chose (on Explore), or the bundled one."""
    models = available_models()
    return models.get(st.session_state.get(MODEL), models[BUNDLED])


def current_palette() -> Palette:
    """The colours chosen on Explore, or the default ones."""
    name = st.session_state.get(PALETTE) or st.session_state.get(PALETTE_WIDGET) or st.query_params.get(PALETTE_WIDGET)
    return PALETTES.get(name, DEFAULT)


def current_palette_name() -> str:
    """The name of the colours chosen on Explore, or of the default ones."""
    palette = current_palette()
    return next(name for name, known in PALETTES.items() if known == palette)


def choose_palette(name: str) -> None:
    """Keep the chosen colours for every page (the radio's own key is dropped on pages without it)."""
    st.session_state[PALETTE] = name


def choose_model(name: str) -> None:
    """Make the named model the current one, on every page."""
    st.session_state[MODEL] = name


def add_model(name: str, model: Network) -> str:
    """Register a model for this session under a unique name, select it, and return the name."""
    models = st.session_state.setdefault(SESSION_MODELS, {})
    unique, n = name, 2
    while unique in models or unique in (BUNDLED, LENET):
        unique, n = f"{name} ({n})", n + 1
    models[unique] = model_entry(unique, model)
    pick_model(unique)
    choose_model(unique)
    return unique


def picked_model() -> str | None:
    """The name in Explore's model picker."""
    return st.session_state.get(MODEL_WIDGET)


def pick_model(name: str) -> None:
    """Set Explore's model picker (before it is drawn)."""
    st.session_state[MODEL_WIDGET] = name


def weights_already_opened(file_id: str) -> bool:
    """Whether this uploaded weights file was opened already (reruns keep the upload in place)."""
    return st.session_state.get(OPENED_WEIGHTS) == file_id


def mark_weights_opened(file_id: str) -> None:
    st.session_state[OPENED_WEIGHTS] = file_id


# --- training --------------------------------------------------------------------------------


def current_job() -> TrainingJob | None:
    """This session's training job, if it started one."""
    return st.session_state.get(JOB)


def set_current_job(job: TrainingJob | None) -> None:
    """Keep this job as the session's own (None forgets it)."""
    if job is None:
        st.session_state.pop(JOB, None)
    else:
        st.session_state[JOB] = job


def job_owner() -> str:
    """The owner key of this browser session's training job: "<session id>|<token>"."""
    token = st.session_state.setdefault(OWNER, uuid.uuid4().hex[:8])
    return f"{session_id()}|{token}"


def finished_runs() -> list:
    """The runs this session trained to the end (or stopped), to compare: (job, Progress), oldest first. The job
    itself is kept: its own settings name it, never the sidebar's (which may have changed since)."""
    return st.session_state.setdefault(RUNS, [])


def keep_run(job, progress) -> None:
    """Keep a finished run for the comparison chart (once per job; the last eight)."""
    runs = finished_runs()
    if all(kept is not job for kept, _ in runs):
        runs.append((job, progress))
        del runs[:-8]


def train_setting(name: str):
    """A Train page setting's value (its widget's key is TRAIN_PREFIX + name)."""
    return st.session_state[f"{TRAIN_PREFIX}{name}"]


def set_train_setting(name: str, value) -> None:
    st.session_state[f"{TRAIN_PREFIX}{name}"] = value


def train_setting_given(name: str) -> bool:
    """Whether a Train page setting has a value yet, in the session or in the URL."""
    return f"{TRAIN_PREFIX}{name}" in st.session_state or f"{TRAIN_PREFIX}{name}" in st.query_params


def layer_list() -> str:
    """The Train page's layer list being edited, one layer a line."""
    return st.session_state[TRAIN_LAYERS]


def set_layer_list(text: str) -> None:
    st.session_state[TRAIN_LAYERS] = text


def start_layer_list(text: str) -> None:
    """The layer list's first text, where the session has none yet."""
    st.session_state.setdefault(TRAIN_LAYERS, text)


def fill_layer_box() -> None:
    """Put the layer list into its text box (whose own key is dropped on other pages), before it is drawn."""
    st.session_state[TRAIN_LAYERS_BOX] = st.session_state[TRAIN_LAYERS]


def keep_layer_box() -> None:
    """The text box's callback: what was typed becomes the layer list."""
    st.session_state[TRAIN_LAYERS] = st.session_state[TRAIN_LAYERS_BOX]


# --- teaching new classes --------------------------------------------------------------------


def teaching_examples() -> dict[str, list]:
    """The examples given so far, per class name (the dict itself: add to it in place)."""
    return st.session_state.setdefault(TEACHING, {})


def teaching_job():
    """(the last teaching job, the class names it was for), or None."""
    return st.session_state.get(TEACHING_JOB)


def set_teaching_job(job, classes: tuple[str, ...] | None = None) -> None:
    """Keep a teaching job as the session's own (None forgets it, and stops it if it still runs)."""
    old = st.session_state.pop(TEACHING_JOB, None)
    if old is not None and old[0] is not job:
        old[0].stop()
    if job is not None:
        st.session_state[TEACHING_JOB] = (job, classes)


def set_class_names(text: str) -> None:
    """The Teach page's class names, as typed (before the box is drawn)."""
    st.session_state[TEACH_NAMES] = text


def start_class_names(text: str) -> None:
    """The class names' first text, where the session has none yet."""
    st.session_state.setdefault(TEACH_NAMES, text)


def upload_round() -> int:
    """Which Teach uploader is showing (a new one, empty, after each Add)."""
    return st.session_state.get(UPLOAD_ROUND, 0)


def next_upload_round() -> None:
    st.session_state[UPLOAD_ROUND] = upload_round() + 1


# --- the class -------------------------------------------------------------------------------


def teaching_class() -> tuple[str, str, str] | None:
    """(code, secret, PIN) of the class this session teaches, if any."""
    return st.session_state.get(TEACHING_CLASS)


def set_teaching_class(teaching: tuple[str, str, str] | None) -> None:
    st.session_state[TEACHING_CLASS] = teaching
    st.session_state.pop(PUBLISHED, None)


def student_of() -> tuple[str, str] | None:
    """(code, student id) of the class this session joined, if any."""
    return st.session_state.get(STUDENT)


def set_student_of(joined: tuple[str, str] | None) -> None:
    st.session_state[STUDENT] = joined
    st.session_state.pop(PENDING_ANSWER, None)


def say_about_class(sentence: str) -> None:
    """Keep a sentence about the class for the next run to show."""
    st.session_state[CLASS_MESSAGE] = sentence


def said_about_class() -> str | None:
    """The sentence kept for this run, once."""
    return st.session_state.pop(CLASS_MESSAGE, None)


def showing_join_link() -> bool:
    return st.session_state.get(SHOW_LINK, False)


def show_join_link(showing: bool) -> None:
    st.session_state[SHOW_LINK] = showing


def published() -> tuple[object, float]:
    """(the step this teacher's session last published, when it last told the class it was here)."""
    return st.session_state.get(PUBLISHED, (None, 0.0))


def set_published(step: object, at: float) -> None:
    st.session_state[PUBLISHED] = (step, at)


def drawn_version() -> tuple | None:
    return st.session_state.get(DRAWN)


def set_drawn_version(version: tuple | None) -> None:
    st.session_state[DRAWN] = version


def pending_answer() -> tuple[int, int] | None:
    """(question id, choice) not yet recorded because the database was away."""
    return st.session_state.get(PENDING_ANSWER)


def set_pending_answer(pending: tuple[int, int] | None) -> None:
    st.session_state[PENDING_ANSWER] = pending


def question_kind() -> str | None:
    """The kind of question the teacher chose to ask next."""
    return st.session_state.get(CLASS_KIND)


def visitor() -> str:
    """This browser session, as the class's limits count it (a tab reloaded is a new one)."""
    return job_owner()


def cookie(name: str) -> str | None:
    """A cookie the browser sent when this session's page opened, the first time it is asked for (after that the
    session knows better: it may have joined, left or ended since); None after that, or if there was none."""
    seats = st.session_state.setdefault(SEATS, {})
    if name in seats:
        return None
    seats[name] = None
    value = st.context.cookies.get(name)
    return unquote(value) if isinstance(value, str) else None


def keep_seat(name: str, value: str) -> None:
    """Ask the browser to keep `value` in cookie `name` ("" forgets it)."""
    st.session_state.setdefault(SEATS, {})[name] = value


def seats() -> dict[str, str | None]:
    """{cookie name: the value the browser should keep ("" to forget), or None to leave it as it is}."""
    return st.session_state.get(SEATS, {})


# --- Present and Sandbox ---------------------------------------------------------------------


def present_stage() -> int | None:
    """The Present page's stage, 1-based (None before the page or a link set it)."""
    return st.session_state.get(STAGE)


def set_present_stage(number: int) -> None:
    st.session_state[STAGE] = number


def has_present_stage() -> bool:
    return STAGE in st.session_state


def dropout_seed() -> int:
    """The seed of Sandbox's dropout runs: a new one for each "Run again"."""
    return st.session_state.get(DROPOUT_SEED, 0)


def next_dropout_seed() -> None:
    st.session_state[DROPOUT_SEED] = dropout_seed() + 1


# --- Guess first -----------------------------------------------------------------------------


def guessing() -> bool:
    """Whether Explore's Guess first is on."""
    return bool(st.session_state.get(GUESS_FIRST))


def guesses() -> dict[str, int]:
    """{model key:image digest: the output guessed}, the oldest first."""
    return st.session_state.setdefault(GUESSES, {})


def guessed(key: str) -> int | None:
    """The guess for this model and image, if one was made."""
    return guesses().get(key)


def keep_guess(key: str, guess: int) -> None:
    """Keep a guess (the last 200: a long lesson forgets the oldest)."""
    kept = guesses()
    kept[key] = guess
    while len(kept) > 200:
        kept.pop(next(iter(kept)))


# --- the guided lesson -----------------------------------------------------------------------


def lesson_at() -> tuple[str, int] | None:
    """(lesson name, step number) the Lesson page shows, once it has been opened."""
    return st.session_state.get(LESSON_AT)


def set_lesson_at(name: str, number: int) -> None:
    st.session_state[LESSON_AT] = (name, number)


def lesson_predictions() -> dict:
    """The Lesson page's predictions, by their prediction_key (the dict itself: add to it)."""
    return st.session_state.setdefault(LESSON_PREDICTIONS, {})


def own_lesson():
    """The lesson this session opened from a file, if any."""
    return st.session_state.get(OWN_LESSON)


def set_own_lesson(lesson) -> None:
    st.session_state[OWN_LESSON] = lesson


def lesson_shown() -> set:
    """The prediction keys of the steps whose answer this teacher showed the class (the set itself: add to it)."""
    return st.session_state.setdefault(LESSON_SHOWN, set())


def menu_lesson() -> str | None:
    """The lesson the Lesson page's lesson menu holds."""
    return st.session_state.get(LESSON_MENU)


def menu_step() -> int | None:
    """The step the Lesson page's step menu holds."""
    return st.session_state.get(STEP_MENU)


def set_menus(name: str, number: int) -> None:
    """Set the lesson and step menus to the lesson and step shown (before they are drawn)."""
    st.session_state[LESSON_MENU], st.session_state[STEP_MENU] = name, number


def showing_notes() -> bool:
    """Whether the Lesson page's "Teacher's notes" switch is on."""
    return bool(st.session_state.get(LESSON_NOTES))


def lesson_upload():
    """The lesson file in the Lesson page's uploader (an UploadedFile), or None."""
    return st.session_state.get(LESSON_UPLOAD)


def say_lesson_file_error(sentence: str) -> None:
    """Keep why a lesson file could not be opened, for the next run to say."""
    st.session_state[LESSON_FILE_ERROR] = sentence


def lesson_file_error() -> str | None:
    """Why the last lesson file could not be opened, once."""
    return st.session_state.pop(LESSON_FILE_ERROR, None)
