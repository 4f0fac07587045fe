"""Borrowed names: ``autograd`` is ``torch`` at module level (``import autograd as torch``).

Most of torch's module-level functions are C builtins without a Python signature. Those named
in ``DOCUMENTED`` are compared with the signature that opens torch's own docstring (after the
textual repairs in ``DOCSTRING_FIXES``, each with its reason); the others say why they have no
signature check. ``IGNORED`` lists parameters this library adds beside torch's.
"""

from tests.conformance.borrowed import Entry

C_BUILTIN = "a C builtin in torch, without a Python signature"
DOCSTRING = f"{C_BUILTIN}: compared with the signature in torch's docstring"
DEVICE = ("device: the CPU only ('cpu', 'cpu:0', device('cpu'), None); any other device is "
          "a RuntimeError saying this library computes with numpy on the CPU")
OPTIONS = ("out= (no tensor is written into), pin_memory=True, a layout other than strided and "
           "a memory_format are refused with a ValueError; layout and memory_format default "
           "to None, since torch.strided and torch.*_format do not exist here")
GENERATOR = ("generator= is an autograd.Generator or any numpy.random.Generator (rng=, this "
             "library's name, also takes an int seed); without one, draws come from the "
             "sequence manual_seed restarts. The draws differ from torch's; shapes, dtypes, "
             "ranges and moments do not")
METHOD_FUNCTION = ("made from the Tensor method of the same name (autograd.functions): the "
                   "first parameter is x, not input; the rest is the method's (see the Tensor "
                   "table), and out= does not exist")
DTYPE = ("a numpy dtype (np.dtype), so that t.dtype == autograd.float32 holds and numpy takes "
         "it as a dtype; not a callable")

_DTYPES = ["float32", "float", "float64", "double", "float16", "half", "uint8", "int8",
           "int16", "short", "int32", "int", "int64", "long", "bool"]

_FROM_METHODS = ["abs", "add", "amax", "amin", "argmax", "argmin", "broadcast_to", "clamp",
                 "clip", "clone", "cos", "div", "exp", "flatten", "gather", "log", "log_softmax",
                 "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "mul", "neg",
                 "permute", "pow", "relu", "reshape", "sigmoid", "sin", "softmax", "sqrt",
                 "squeeze", "std", "sub", "sum", "tanh", "transpose", "unsqueeze", "var",
                 "floor", "ceil", "trunc", "round", "sign", "floor_divide", "remainder", "fmod",
                 "cumsum", "prod", "log1p", "expm1",
                 # Tensor methods that are not ops, which torch also has as functions
                 "all", "any", "argsort", "chunk", "flip", "isnan", "masked_fill",
                 "repeat_interleave", "sort", "square", "swapaxes", "swapdims", "t", "topk",
                 "unbind", "index_select", "masked_select", "nonzero", "isinf", "isfinite",
                 "dot", "outer", "tril", "triu", "scatter", "scatter_add"]

ENTRIES = [
    Entry("autograd.compile", "torch.compile",
          "captures by recording the step on its first two calls and replaying the record "
          "(the same numpy calls, no graph), not by compiling kernels: every backend but "
          "'eager' and 'aot_eager' and every mode capture alike; dynamic=True, options, "
          "isolate_recompiles and shapes_spec are refused; a Module is refused (capture the "
          "whole training step); what a replay cannot repeat is refused while recording, "
          "with the line (see autograd.capture)"),
    Entry("autograd.compiler.disable", "torch.compiler.disable",
          "recursive=False is refused (nothing inside a disabled function is recorded)"),
    Entry("autograd.compiler.is_compiling", "torch.compiler.is_compiling"),
    Entry("autograd.compiler.reset", "torch.compiler.reset"),
    # factories
    Entry("autograd.tensor", "torch.tensor",
          f"{DOCSTRING}. {DEVICE}. name= (a label for drawings) is this library's addition",
          signature=False),
    Entry("autograd.as_tensor", "torch.as_tensor", f"{DOCSTRING}. {DEVICE}", signature=False),
    Entry("autograd.from_numpy", "torch.from_numpy", DOCSTRING, signature=False),
    Entry("autograd.zeros", "torch.zeros", f"{DOCSTRING}. {DEVICE}. {OPTIONS}",
          signature=False),
    Entry("autograd.ones", "torch.ones", f"{DOCSTRING}. {DEVICE}. {OPTIONS}", signature=False),
    Entry("autograd.empty", "torch.empty", f"{DOCSTRING}. {DEVICE}. {OPTIONS}",
          signature=False),
    Entry("autograd.full", "torch.full", f"{DOCSTRING}. {DEVICE}. {OPTIONS}", signature=False),
    Entry("autograd.zeros_like", "torch.zeros_like", f"{DOCSTRING}. {DEVICE}. {OPTIONS}",
          signature=False),
    Entry("autograd.ones_like", "torch.ones_like", f"{DOCSTRING}. {DEVICE}. {OPTIONS}",
          signature=False),
    Entry("autograd.full_like", "torch.full_like", f"{DOCSTRING}. {DEVICE}. {OPTIONS}",
          signature=False),
    Entry("autograd.arange", "torch.arange", f"{DOCSTRING}. {DEVICE}. {OPTIONS}",
          signature=False),
    Entry("autograd.linspace", "torch.linspace",
          f"{DOCSTRING}. {DEVICE}. {OPTIONS}. Values computed as torch does (the two halves "
          f"from either end), equal to torch's within one rounding", signature=False),
    Entry("autograd.logspace", "torch.logspace", f"{DOCSTRING}. {DEVICE}. {OPTIONS}",
          signature=False),
    Entry("autograd.eye", "torch.eye", f"{DOCSTRING}. {DEVICE}. {OPTIONS}", signature=False),
    Entry("autograd.rand", "torch.rand", f"{DOCSTRING}. {GENERATOR}. {DEVICE}. {OPTIONS}",
          signature=False),
    Entry("autograd.randn", "torch.randn", f"{DOCSTRING}. {GENERATOR}. {DEVICE}. {OPTIONS}",
          signature=False),
    Entry("autograd.randint", "torch.randint",
          f"{C_BUILTIN}; its documented randint(low=0, high, size, ...) is not a Python "
          f"signature (a default before required parameters): ours is randint(*args, size=None, "
          f"...) taking (high, size) or (low, high, size) as torch does. {GENERATOR}. {DEVICE}",
          signature=False),
    Entry("autograd.randperm", "torch.randperm", f"{DOCSTRING}. {GENERATOR}. {DEVICE}",
          signature=False),
    Entry("autograd.rand_like", "torch.rand_like", f"{DOCSTRING}. {GENERATOR}. {DEVICE}",
          signature=False),
    Entry("autograd.randn_like", "torch.randn_like", f"{DOCSTRING}. {GENERATOR}. {DEVICE}",
          signature=False),
    Entry("autograd.Generator", "torch.Generator",
          f"{C_BUILTIN} type: Generator(device='cpu'), a numpy.random.Generator subclass with "
          f"torch's manual_seed (returning itself), seed, initial_seed and device, starting "
          f"from torch's fixed seed; get_state/set_state are not provided. The draws are "
          f"numpy's", signature=False),
    Entry("autograd.manual_seed", "torch.manual_seed",
          "returns None: there is no torch.Generator to return (the seed restarts the numpy "
          "SeedSequence that every draw without a generator comes from)"),
    # joining, products, sizes
    Entry("autograd.cat", "torch.cat", f"{DOCSTRING}. The same function as "
          f"autograd.concatenate: its second parameter is numpy's axis (positional calls are "
          f"torch's), dim= is keyword-only, and out= does not exist", signature=False),
    Entry("autograd.concat", "torch.concat", f"{DOCSTRING}; out= does not exist",
          signature=False),
    Entry("autograd.concatenate", "torch.concatenate",
          f"{C_BUILTIN}; the function of autograd.cat (tensors, axis=0, dim=None): torch's "
          f"axis= and dim= both work", signature=False),
    Entry("autograd.stack", "torch.stack", f"{DOCSTRING}. Its second parameter is numpy's "
          f"axis (positional calls are torch's), dim= is keyword-only, and out= does not exist",
          signature=False),
    Entry("autograd.mm", "torch.mm", f"{DOCSTRING}; out= does not exist", signature=False),
    Entry("autograd.bmm", "torch.bmm", f"{DOCSTRING}; out= does not exist", signature=False),
    Entry("autograd.numel", "torch.numel", DOCSTRING, signature=False),
    Entry("autograd.is_tensor", "torch.is_tensor"),
    Entry("autograd.where", "torch.where",
          f"{C_BUILTIN}: where(condition, a, b), and where(condition) for the indices of "
          f"the nonzero elements (a tuple of int64 tensors)", signature=False),
    Entry("autograd.split", "torch.split", "see the Tensor table for split's meaning"),
    *[Entry(f"autograd.{name}", f"torch.{name}", f"{C_BUILTIN}; {METHOD_FUNCTION}",
            signature=False) for name in _FROM_METHODS],
    Entry("autograd.norm", "torch.norm", f"{METHOD_FUNCTION}; the vector norms only (p "
          f"'fro', a number, inf, -inf); 'nuc' is refused"),
    Entry("autograd.einsum", "torch.einsum",
          "einsum(equation, *operands) where torch writes einsum(*args): the same calls "
          "(operands may also come as one list); torch's sublist form einsum(op1, [0, 1], op2, "
          "[1, 2]) is not supported. Operands of different dtypes are refused, as by torch"),
    Entry("autograd.unique", "torch.unique",
          f"torch's is unique(*args, **kwargs); {METHOD_FUNCTION}. See the Tensor table"),
    Entry("autograd.equal", "torch.equal", C_BUILTIN, signature=False),
    Entry("autograd.isclose", "torch.isclose", f"{DOCSTRING}; mixed dtypes are a RuntimeError",
          signature=False),
    Entry("autograd.allclose", "torch.allclose", DOCSTRING, signature=False),
    # dtypes and devices
    *[Entry(f"autograd.{name}", f"torch.{name}", DTYPE, signature=False) for name in _DTYPES],
    Entry("autograd.get_default_dtype", "torch.get_default_dtype", DOCSTRING, signature=False),
    Entry("autograd.set_default_dtype", "torch.set_default_dtype",
          "takes this library's dtypes (numpy dtypes); refuses Python's float, as torch does"),
    Entry("autograd.device", "torch.device",
          f"{C_BUILTIN} type: device(type, index=None); only 'cpu' can hold tensors (see "
          f"device)", signature=False),
    Entry("autograd.cuda", "torch.cuda",
          "an object answering is_available() (False) and device_count() (0), not a module: "
          "there is no GPU support", signature=False),
    # grad modes
    Entry("autograd.no_grad", "torch.no_grad"),
    Entry("autograd.enable_grad", "torch.enable_grad"),
    Entry("autograd.set_grad_enabled", "torch.set_grad_enabled"),
    Entry("autograd.inference_mode", "torch.inference_mode",
          "no inference tensors: tensors made inside are ordinary tensors that do not require "
          "grad (torch's may not take part in recorded operations later)"),
    Entry("autograd.is_grad_enabled", "torch.is_grad_enabled", DOCSTRING, signature=False),
    # autograd's own names
    Entry("autograd.Function", "torch.autograd.Function",
          "each call is one operation of this engine; mark_dirty (in-place Functions) is "
          "refused, and set_materialize_grads(False) still passes zeros for unused outputs"),
    Entry("autograd.grad", "torch.autograd.grad",
          "is_grads_batched=True is refused with a ValueError (no vmap); only_inputs is "
          "ignored with torch's FutureWarning, as torch does"),
    # serialization
    Entry("autograd.save", "torch.save",
          "no pickle: an .npz of plain arrays plus JSON (tensors, numpy arrays, numbers, "
          "strings, None, dicts, lists, tuples); pickle_module defaults to None, since the "
          "library never imports pickle (torch's pickle module is accepted too), and the "
          "other options are accepted at their defaults only"),
    Entry("autograd.load", "torch.load",
          "reads what save wrote, never runs code, so weights_only=False gives the same "
          "result as True; map_location only to the CPU; a damaged file is a "
          "SerializationError (a ValueError) naming the path"),
    # classes
    Entry("autograd.Tensor", "torch.Tensor",
          f"{C_BUILTIN} constructor. Tensor(data) makes a float32 tensor from Python data, as "
          f"torch.Tensor(data) does; but numpy arrays keep their dtype and booleans stay bool "
          f"(torch's legacy constructor makes both float32: use autograd.tensor for torch's "
          f"inference), and torch's Tensor(*sizes) is not supported. Its methods have their "
          f"own table",
          signature=False),
    Entry("autograd.Node", "torch.Node",
          "NOT borrowed: the name is shared only. autograd.Node is the base class of Scalar "
          "and Tensor (a value in the graph); torch.Node is the class of grad_fn objects",
          signature=False),
    Entry("autograd.conv2d", "torch.conv2d", DOCSTRING),
    Entry("autograd.max_pool2d", "torch.max_pool2d",
          f"{C_BUILTIN} nor a docstring: its parameters (input, kernel_size, stride=(), "
          f"padding=0, dilation=1, ceil_mode=False) are those of torch's schema",
          signature=False),
]

# C builtins whose docstring's first line is compared with our signature.
DOCUMENTED = {"tensor", "as_tensor", "from_numpy", "zeros", "ones", "empty", "full",
              "zeros_like", "ones_like", "full_like", "arange", "linspace", "logspace", "eye",
              "rand", "randn", "randperm", "rand_like", "randn_like", "cat", "concat", "stack",
              "mm", "bmm", "numel", "get_default_dtype", "is_grad_enabled", "conv2d"}

# Repairs of torch's docstring text, so that it parses as a Python signature.
DOCSTRING_FIXES = {
    # "*size, *" is not Python: *size already makes what follows keyword-only
    "*size, *,": "*size,",
    "\\*": "*",  # a reStructuredText escape in some docstrings
    # as_tensor's docstring omits device's default, which is None in practice
    "device: Optional[DeviceLikeType]": "device: Optional[DeviceLikeType] = None",
    # arange(end) and arange(start, end): ours gives end a default of None to allow both
    "start=0, end, step=1": "start=0, end=None, step=1",
}

# Our parameters beside torch's: name= labels a tensor, rng= is this library's generator.
IGNORED = {"tensor": ("name",), "rand": ("rng",), "randn": ("rng",), "save": ("pickle_module",),
           "norm": ("x", "input", "out"),  # made from the method: x first, no out=
           "einsum": ("equation", "operands", "args"),  # torch's *args holds the same
           "unique": ("x", "sorted", "return_inverse", "return_counts", "dim", "args", "kwargs"),
           "cat": ("axis", "dim", "out"), "stack": ("axis", "dim", "out"),
           # **keywords holds torch's size= (zeros(size=(2, 3))), which *size leaves no name for
           "zeros": ("keywords",), "ones": ("keywords",), "empty": ("keywords",)}

# Known departures whose tests are strict xfails (they fail when the departure is fixed).
PENDING: dict[str, str] = {}
