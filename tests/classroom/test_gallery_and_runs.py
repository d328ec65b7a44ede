"""What students send (cnnviz/classroom/gallery.py): pictures and runs, counted per student and per class, sorted
for the teacher, deleted by the teacher, refused in one sentence when they are not what a class keeps."""

import math

import pytest

from cnnviz.classroom.records import MAX_PICTURES, MAX_RUNS, ClassError


def test_pictures_that_fooled_the_network_come_first_and_the_teacher_deletes_one(classes):
    started = classes.start()
    ana = classes.join(started.code, "Ana").id
    sure = classes.send_picture(started.code, ana, bytes(784), "7", 0.99, "digit")
    classes.send_picture(started.code, ana, bytes(784), "3", 0.4, "unsure")
    classes.send_picture(started.code, classes.join(started.code).id, bytes(784), "8", 0.2, "not a digit")
    assert [(p.nickname, p.verdict) for p in classes.gallery(started.code)] == [
        ("student 2", "not a digit"),
        ("Ana", "unsure"),
        ("Ana", "digit"),
    ]
    classes.delete_picture(started.code, started.secret, sure)
    assert len(classes.gallery(started.code)) == 2
    with pytest.raises(ClassError, match="Only the class's teacher"):
        classes.delete_picture(started.code, ana, sure)


@pytest.mark.parametrize("pixels", [b"", bytes(783), bytes(785), "x" * 784, None])
def test_only_the_networks_input_goes_to_the_gallery(classes, pixels):
    started = classes.start()
    with pytest.raises(ClassError, match="28 x 28"):
        classes.send_picture(started.code, classes.join(started.code).id, pixels, "7", 0.9, "digit")


def test_a_student_sends_so_many_pictures_and_runs_and_a_deleted_one_frees_its_place(classes):
    started = classes.start()
    ana = classes.join(started.code).id
    sent = [classes.send_picture(started.code, ana, bytes(784), "1", 0.5, "digit") for _ in range(MAX_PICTURES[0])]
    with pytest.raises(ClassError, match=f"sent {MAX_PICTURES[0]} pictures"):
        classes.send_picture(started.code, ana, bytes(784), "1", 0.5, "digit")
    classes.delete_picture(started.code, started.secret, sent[0])
    classes.send_picture(started.code, ana, bytes(784), "1", 0.5, "digit")
    for _ in range(MAX_RUNS[0]):
        classes.send_run(started.code, ana, {"val_accuracy": 0.5}, b"w")
    with pytest.raises(ClassError, match=f"sent {MAX_RUNS[0]} runs"):
        classes.send_run(started.code, ana, {"val_accuracy": 0.5}, b"w")


def test_runs_best_first_their_weights_for_the_teacher_only(classes):
    started = classes.start()
    for name, accuracy in (("Ana", 0.91), ("Ben", 0.97)):
        classes.send_run(started.code, classes.join(started.code, name).id, {"val_accuracy": accuracy}, name.encode())
    shared = classes.runs(started.code)
    assert [r.nickname for r in shared] == ["Ben", "Ana"]
    assert classes.run_weights(started.code, started.secret, shared[0].id) == b"Ben"
    with pytest.raises(ClassError, match="Only the class's teacher"):
        classes.run_weights(started.code, "guess", shared[0].id)


@pytest.mark.parametrize(
    "summary, weights, sentence",
    [
        ({"val_accuracy": math.nan}, b"w", "not a plain number"),
        ({"curve": object()}, b"w", "not a plain number"),
        ({"epochs": "x" * 300_000}, b"w", "too long"),
        ({}, bytes(8 * 1024 * 1024 + 1), "larger than the class can keep"),
    ],
    ids=["nan", "an object", "too long", "too heavy"],
)
def test_a_run_a_class_cannot_keep_gets_one_sentence(classes, summary, weights, sentence):
    started = classes.start()
    with pytest.raises(ClassError, match=sentence):
        classes.send_run(started.code, classes.join(started.code).id, summary, weights)
