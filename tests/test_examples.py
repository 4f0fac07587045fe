"""The examples run as documented: the course's Celsius model, the digits and spirals
classifiers."""

import importlib.util
import os
import shutil
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def load_example(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(EXAMPLES, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_digits_classifier_reaches_95_percent():
    pytest.importorskip("sklearn")
    result = load_example("digits").train(epochs=30, seed=0)
    assert result["accuracy"] >= 0.95
    assert result["seconds"] < 60
    assert result["confusion"].sum() == 360 and result["confusion"].trace() >= 342


def test_spirals_classifier_needs_nothing_but_the_package(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["spirals.py", "--epochs", "30"])
    load_example("spirals").main()
    text = capsys.readouterr().out
    assert "on 1 process(es)" in text
    accuracy = float(text.split("test accuracy ")[1].split()[0])
    assert accuracy >= 0.9, text


def test_celsius_main_job_prints_and_writes_its_files(tmp_path, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    pytest.importorskip("graphviz")
    monkeypatch.setattr(sys, "argv", ["celsius.py", "--out", str(tmp_path)])
    load_example("celsius").main()
    text = capsys.readouterr().out
    assert "Prediction for 100 C: 211." in text
    assert (tmp_path / "celsius_loss.png").stat().st_size > 1000
    written = "celsius_graph.svg" if shutil.which("dot") else "celsius_graph.dot"
    assert (tmp_path / written).stat().st_size > 1000
