"""``LBFGS``: limited-memory BFGS over all the parameters as one vector, as PyTorch's."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Node, Tensor, enable_grad, no_grad
from optim._checks import check_lr, writable_data
from optim.line_search import strong_wolfe
from optim.optimizer import Optimizer, Params

# The state LBFGS keeps (under its first parameter, as torch does): numbers, vectors and
# lists of vectors, all of the length of the flattened parameters.
_VECTORS = ("d", "prev_flat_grad")
_VECTOR_LISTS = ("old_dirs", "old_stps")


class LBFGS(Optimizer):
    """L-BFGS: quasi-Newton steps from the last ``history_size`` gradient differences.

    ``step(closure)`` runs up to ``max_iter`` iterations, each calling ``closure`` (which
    clears the gradients, computes the loss, calls ``backward`` and returns the loss) at least
    once. The direction is the two-loop recursion's estimate of ``-H^-1 g``; its length is
    ``lr`` (the first iteration ever: ``min(1, 1 / sum|g|) * lr``), or, with
    ``line_search_fn='strong_wolfe'``, a step meeting the strong Wolfe conditions. Iterations
    stop early when the gradient's largest element is at most ``tolerance_grad``, or the
    step or the change of the loss is below ``tolerance_change``. This is PyTorch's algorithm,
    step for step; it suits full-batch problems.

    Args:
        params: The parameters, in one group (per-group options are refused, as in torch), or
            the learning rate (Keras form, parameters bound later by ``bind``).
        lr: The step length (default 1).
        max_iter: Iterations per ``step`` (default 20).
        max_eval: Closure calls per ``step`` (default ``max_iter * 5 // 4``).
        tolerance_grad: Stop when ``max|g|`` is at most this (default 1e-7).
        tolerance_change: Stop when a step or a loss change is below this (default 1e-9).
        history_size: The number of gradient differences remembered (default 100).
        line_search_fn: None (fixed steps) or ``'strong_wolfe'``.
        learning_rate: Keras' name for ``lr``; give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([3.0, -2.0], dtype=ag.float64, requires_grad=True)
        >>> opt = optim.LBFGS([w], line_search_fn="strong_wolfe")
        >>> def closure():
        ...     opt.zero_grad()
        ...     loss = ((w - 1.0) ** 2).sum() + (w[0] * w[1]) ** 2
        ...     loss.backward()
        ...     return loss
        >>> loss = opt.step(closure)
        >>> bool(closure().item() < 1.0)
        True
    """

    def __init__(
        self,
        params: Params | float | None = None,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
        *,
        learning_rate: float | None = None,
    ) -> None:
        if max_eval is None and isinstance(max_iter, numbers.Integral):
            max_eval = max_iter * 5 // 4
        super().__init__(params, dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                                      tolerance_grad=tolerance_grad,
                                      tolerance_change=tolerance_change,
                                      history_size=history_size,
                                      line_search_fn=line_search_fn), learning_rate)

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse a negative lr, counts that are not integers >= 1, and unknown line searches."""
        check_lr(options["lr"])
        for name in ("max_iter", "max_eval", "history_size"):
            value = options[name]
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"Invalid {name}: {value!r} ({name} must be an integer >= 1)")
        if options["line_search_fn"] not in (None, "strong_wolfe"):
            raise RuntimeError(f"only 'strong_wolfe' is supported. Received: "
                               f"line_search_fn={options['line_search_fn']!r}")

    def bind(self, params: Params) -> LBFGS:
        """Bind the parameters (see ``Optimizer.bind``); they must form one group."""
        super().bind(params)
        _one_group(self)
        return self

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Refused as in torch: LBFGS optimizes one group."""
        raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")

    # (torch's LBFGS requires the closure that other optimizers take as optional)
    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` L-BFGS iterations; returns the closure's first loss."""
        _one_group(self)
        if not callable(closure):
            raise TypeError(f"LBFGS.step needs a closure that reevaluates the model and returns "
                            f"the loss. Received: {closure!r:.60}")
        with no_grad():
            return _Run(self, closure).run()

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict`` returned (the options and the state torch keeps under
        the first parameter), checking the vectors' lengths before changing anything."""
        _one_group(self)
        self._load_with_hooks(state_dict, self._load)

    def _load(self, state_dict: dict[str, Any]) -> None:
        size = sum(int(np.prod(np.shape(p.data))) for p in self.param_groups[0]["params"])
        entries: dict[Any, dict[str, Any]] = dict(state_dict.get("state", {}))
        restored = entries.get(0, entries.get("0", {}))
        problems = []
        for name in _VECTORS:
            if restored.get(name) is not None and np.size(restored[name]) != size:
                problems.append(f"'{name}' has {np.size(restored[name])} elements")
        for name in _VECTOR_LISTS:
            for v in restored.get(name) or []:
                if np.size(v) != size:
                    problems.append(f"an entry of '{name}' has {np.size(v)} elements")
        if problems:
            raise ValueError(f"LBFGS.load_state_dict: the parameters hold {size} elements, but "
                             + "; ".join(problems))
        options = [{k: v for k, v in g.items() if k != "params"}
                   for g in state_dict.get("param_groups", [])]
        if len(options) != 1:
            raise ValueError(f"LBFGS.load_state_dict: expected 1 parameter group, got "
                             f"{len(options)}")
        merged = {**self.defaults, **options[0]}
        self.check_options(merged)
        self.param_groups[0].update(options[0])
        first = self.param_groups[0]["params"][0]
        self.state = {first: _restored(restored)} if restored else {}


class _Run:
    """One ``LBFGS.step``: the parameters as one flat vector, and PyTorch's iterations."""

    def __init__(self, optimizer: LBFGS, closure: Callable[[], Any]) -> None:
        self.params = optimizer.param_groups[0]["params"]
        self.group = optimizer.param_groups[0]
        self.state = optimizer.state.setdefault(self.params[0], {})
        self.closure = closure
        self.dtype = np.result_type(*[np.asarray(p.data).dtype if isinstance(p, Tensor)
                                      else np.float64 for p in self.params])

    def evaluate(self) -> tuple[Any, float]:
        with enable_grad():
            loss = self.closure()
        return loss, float(loss.item() if isinstance(loss, Node) else loss)

    def flat_grad(self) -> np.ndarray:
        parts = []
        for p in self.params:
            size = int(np.prod(np.shape(p.data)))
            grad = p.grad
            parts.append(np.zeros(size, self.dtype) if grad is None else
                         np.asarray(grad.data if isinstance(grad, Node) else grad,
                                    dtype=self.dtype).reshape(-1))
        return np.concatenate(parts)

    def add(self, step: float, update: np.ndarray) -> None:
        offset = 0
        for p in self.params:
            if isinstance(p, Tensor):
                data = writable_data(p)
                data += (step * update[offset:offset + data.size]).reshape(data.shape) \
                    .astype(data.dtype)
                p.data = data
                offset += data.size
            else:
                p.data = float(p.data + step * update[offset])
                offset += 1

    def copy_params(self) -> list[np.ndarray]:
        return [np.array(p.data) for p in self.params]

    def set_params(self, values: list[np.ndarray]) -> None:
        for p, value in zip(self.params, values):
            p.data = value.copy() if isinstance(p, Tensor) else float(value)

    def directional(self, x: list[np.ndarray], t: float,
                    d: np.ndarray) -> tuple[float, np.ndarray]:
        self.add(t, d)
        _, loss = self.evaluate()
        grad = self.flat_grad()
        self.set_params(x)
        return loss, grad

    def run(self) -> Any:
        g, state = self.group, self.state
        lr, max_iter, max_eval = g["lr"], g["max_iter"], g["max_eval"]
        tol_grad, tol_change = g["tolerance_grad"], g["tolerance_change"]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss, loss = self.evaluate()
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self.flat_grad()
        if np.abs(flat_grad).max() <= tol_grad:
            return orig_loss
        # torch's state entries: None (absent) until the first iteration sets them
        d: Any
        t: Any
        old_dirs: Any
        old_stps: Any
        ro: Any
        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        h_diag, prev_flat_grad = state.get("H_diag"), state.get("prev_flat_grad")
        prev_loss = state.get("prev_loss")
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro, h_diag = [], [], [], 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = float(y @ s)
                if ys > 1e-10:
                    if len(old_dirs) == g["history_size"]:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / float(y @ y)
                # the two-loop recursion: d = -H g, with H the L-BFGS inverse Hessian; torch
                # keeps its coefficients in the state, as "al"
                al = state.setdefault("al", [None] * g["history_size"])
                q = -flat_grad
                for i in range(len(old_dirs) - 1, -1, -1):
                    al[i] = float(old_stps[i] @ q) * ro[i]
                    q = q - al[i] * old_dirs[i]
                d = q * h_diag
                for i in range(len(old_dirs)):
                    be_i = float(old_dirs[i] @ d) * ro[i]
                    d = d + (al[i] - be_i) * old_stps[i]
            prev_flat_grad = flat_grad.copy()
            prev_loss = loss
            t = min(1.0, 1.0 / float(np.abs(flat_grad).sum())) * lr \
                if state["n_iter"] == 1 else lr
            gtd = float(flat_grad @ d)
            if gtd > -tol_change:
                break
            evals = 0
            if g["line_search_fn"] is not None:
                loss, flat_grad, t, evals = strong_wolfe(
                    self.directional, self.copy_params(), t, d, loss, flat_grad, gtd,
                    max_ls=max_eval - current_evals)
                self.add(t, d)
                opt_cond = np.abs(flat_grad).max() <= tol_grad
            else:
                self.add(t, d)
                opt_cond = False
                if n_iter != max_iter:  # no use evaluating after the last iteration
                    _, loss = self.evaluate()
                    flat_grad = self.flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tol_grad
                    evals = 1
            current_evals += evals
            state["func_evals"] += evals
            if (n_iter == max_iter or current_evals >= max_eval or opt_cond
                    or np.abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change):
                break
        state.update(d=d, t=t, old_dirs=old_dirs, old_stps=old_stps, ro=ro, H_diag=h_diag,
                     prev_flat_grad=prev_flat_grad, prev_loss=prev_loss)
        return orig_loss


def _one_group(optimizer: LBFGS) -> None:
    if not optimizer.param_groups:
        raise RuntimeError("LBFGS: the optimizer has no parameters yet; pass them when creating "
                           "it (LBFGS(model.parameters())) or call bind(params)")
    if len(optimizer.param_groups) != 1:
        raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")


def _restored(saved: dict[str, Any]) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for name, value in saved.items():
        if name in _VECTORS:
            state[name] = None if value is None else np.array(value)
        elif name in _VECTOR_LISTS:
            state[name] = [np.array(v) for v in value]
        elif name in ("ro", "al"):
            state[name] = [None if v is None else float(v) for v in value]
        else:
            state[name] = value
    return state
