#!/usr/bin/env bash
# Build the sdist and the wheel, check them with twine, then install the wheel into a new virtual
# environment outside the repository and use it as a user would: import the three packages,
# train the course's Celsius model, draw its graph. Proves the package works without the source
# tree beside it (a module left out of the wheel fails here, not on a user's machine).
#   usage: bash tools/check_wheel.sh        (needs: pip install build twine)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d -t wheel-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

python -m build --outdir "$work/dist" "$repo" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }
python -m twine check --strict "$work"/dist/*
wheel=$(ls "$work"/dist/*.whl)
echo "wheel: $(basename "$wheel"), $(du -k "$wheel" | cut -f1) KiB; sdist: $(du -k "$work"/dist/*.tar.gz | cut -f1) KiB"

start=$(date +%s)
python -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$wheel[draw]"
cd "$work"  # outside the repository: only the installed wheel can be imported
"$work/venv/bin/python" - <<'PY'
import os
import shutil

import autograd
import nn
import optim

assert "site-packages" in autograd.__file__, autograd.__file__
assert "site-packages" in nn.__file__ and "site-packages" in optim.__file__
celsius, fahrenheit = nn.datasets.celsius_fahrenheit()
nn.set_random_seed(0)
layer = nn.Dense(units=1, input_shape=[1])
model = nn.Sequential([layer])
model.compile(loss="mean_squared_error", optimizer=optim.Adam(0.1))
history = model.fit(celsius, fahrenheit, epochs=500, verbose=False)
kernel, bias = (float(w.ravel()[0]) for w in layer.get_weights())
prediction = float(model.predict([100.0]).ravel()[0])
assert 1.7 < kernel < 1.9 and 25 < bias < 33 and 205 < prediction < 215, (kernel, bias, prediction)
loss = ((model(celsius.reshape(-1, 1)) - autograd.tensor(fahrenheit.reshape(-1, 1))) ** 2).mean()
loss.backward()
graph = autograd.draw_graph(loss, params=model.named_parameters())
assert "digraph" in graph.source
if shutil.which("dot"):
    path = graph.render("celsius_graph", format="svg", cleanup=True)
    assert os.path.getsize(path) > 1000, path
print(f"autograd {autograd.__version__} from the wheel: weight {kernel:.4f}, bias {bias:.4f}, "
      f"100 C -> {prediction:.2f} F, final loss {history.history['loss'][-1]:.3f}; graph drawn")
PY
echo "fresh environment: install and train in $(( $(date +%s) - start )) s"
