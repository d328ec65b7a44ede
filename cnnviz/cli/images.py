"""The commands that read image files: predict, explain and activations, one JSON list or a line per file."""

import argparse
import json
from pathlib import Path

import numpy as np

from cnnviz.cli.arguments import load_model
from cnnviz.errors import InputError, NoDigitError
from cnnviz.insight.verdict import OVERFLOW_WORDS, answer_probabilities, probabilities_of, verdict
from cnnviz.network.classes import DIGITS, NOT_A_DIGIT
from cnnviz.reading.files import read_limited


def label_of(index: int, classes: tuple[str, ...]):
    """A class as JSON gives it: a digit as a number for digit models, else the class name ("not a digit" too)."""
    return int(classes[index]) if classes[index] in DIGITS and classes[:10] == DIGITS else classes[index]


def each_image(files: list[str], answer, blank: dict | None = None) -> list[dict]:
    """{"file": name, **answer(preprocessed)} for each image file, or {"file", "error"} for one that cannot be used.

    Args:
        blank: fields a blank image's error also gets (predict: its verdict, "not a digit").
    """
    from cnnviz.reading.decode import MAX_FILE_BYTES
    from cnnviz.reading.preprocess import preprocess_bytes

    results = []
    for name in files:
        try:
            results.append(
                {"file": name, **answer(preprocess_bytes(read_limited(Path(name), MAX_FILE_BYTES, "images")))}
            )
        except NoDigitError as error:
            results.append({"file": name, "error": str(error), **(blank or {})})
        except InputError as error:
            results.append({"file": name, "error": str(error)})
    return results


def report(results: list[dict], as_json: bool, line) -> int:
    """Print the results as one strict JSON list, or a line each (line(result) for the good ones); the exit code."""
    if as_json:
        print(json.dumps(results, allow_nan=False))
    else:
        for result in results:
            print(f"{result['file']}: error: {result['error']}" if "error" in result else line(result))
    return 1 if any("error" in result for result in results) else 0


def refuse_every_file(args: argparse.Namespace, error: InputError, prefix: str = "") -> int:
    """A model that cannot be used: with --json every file gets the reason, so the output is still one list."""
    if not args.json:
        raise error
    print(json.dumps([{"file": name, "error": f"{prefix}{error}"} for name in args.files]))
    return 1


def predict_command(args: argparse.Namespace) -> int:
    """Print the predicted digit (and the verdict) of each file; exit 1 if any file was rejected."""
    try:
        model = load_model(args.model)
    except InputError as error:
        return refuse_every_file(args, error, "the model: ")

    def answer(prepared) -> dict:
        probabilities = probabilities_of(model, prepared.tensor)
        answers = answer_probabilities(probabilities, model.classes)
        result = {
            "label": label_of(int(answers.argmax()), model.config.answers),
            "probabilities": [round(float(p), 6) for p in answers],
        }
        if model.config.rejects:
            result["not_a_digit"] = round(float(probabilities[-1]), 6)
        if not model.config.is_digits:
            result["classes"] = list(model.config.answers)
        return {**result, **verdict(probabilities, model.classes).to_json()}

    def line(result: dict) -> str:
        text = f"{result['file']}: {result['label']} ({max(result['probabilities']):.1%})"
        if result["verdict"] != "digit":
            text += f", {result['verdict']}"
            if "between" in result:
                text += f" between {' and '.join(map(str, result['between']))}"
        return text

    return report(each_image(args.files, answer, blank={"verdict": NOT_A_DIGIT}), args.json, line)


def explain_command(args: argparse.Namespace) -> int:
    """Print which pixels pushed each file's answer (or a chosen class), by one attribution method; with
    --faithfulness, the deletion test of each map beside blanking at random."""
    from cnnviz.insight.attribution import attribute, blank_map_words
    from cnnviz.insight.faithfulness import FRACTIONS, deletion

    try:
        model = load_model(args.model)
        if args.target is not None and not 0 <= args.target < len(model.classes):
            raise InputError(f"--target must be a class index from 0 to {len(model.classes) - 1}")
        if args.layer is not None and args.layer not in model.conv_layers():
            raise InputError(f"--layer must be one of this model's conv layers: {', '.join(model.conv_layers())}")
    except InputError as error:
        return refuse_every_file(args, error)

    def answer(prepared) -> dict:
        predicted = int(answer_probabilities(probabilities_of(model, prepared.tensor), model.classes).argmax())
        target = predicted if args.target is None else args.target
        found = attribute(model, prepared.tensor, args.method, target, args.layer)
        if not np.isfinite(found.values).all():
            raise InputError(OVERFLOW_WORDS)
        result = {
            "label": label_of(predicted, model.classes),
            "target": label_of(target, model.classes),
            "method": args.method,
            "attribution": [[round(float(v), 6) for v in row] for row in found.values],
        }
        if found.blank:
            maps = model.activated(found.layer) if found.layer else ""  # Grad-CAM weighs them after the activation
            result["blank"] = blank_map_words(args.method, model.classes[target], maps, found.before_rectifying)
        if args.faithfulness:
            checked = deletion(model, prepared.tensor, found.values, target)
            result["deletion"] = [round(float(p), 6) for p in checked.by_map]
            result["random_deletion"] = [round(float(p), 6) for p in checked.at_random]
        return result

    def line(result: dict) -> str:
        values = np.array(result["attribution"])
        row, col = np.unravel_index(np.abs(values).argmax(), values.shape)
        text = f"{result['file']}: read {result['label']}; {args.method} for {result['target']}: " + (
            result["blank"]
            if "blank" in result
            else f"strongest pixel at row {row}, column {col} ({values[row, col]:+.3f})"
        )
        if "deletion" in result:
            shares = "/".join(f"{round(f * 100)}" for f in FRACTIONS)
            curve = " ".join(f"{p:.1%}" for p in result["deletion"])
            random = " ".join(f"{p:.1%}" for p in result["random_deletion"])
            text += f"; probability with {shares} % blanked by the map: {curve}; at random: {random}"
        return text

    return report(each_image(args.files, answer), args.json, line)
