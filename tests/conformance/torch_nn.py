"""Borrowed names: ``nn.X`` is ``torch.nn.X`` (PyTorch's modules, in ``nn.torch_modules``).

Every module takes torch 2.13's constructor arguments with its defaults. Where a setting is not
supported it is accepted at torch's default and refused otherwise with a ValueError, so that no
setting is ignored; the entries say which.
"""

from tests.conformance.borrowed import Entry

INPLACE = ("inplace=True is refused with a ValueError (results are always new tensors; the "
           "values are the same as torch's in-place ones)")
LEGACY = ("size_average and reduce, deprecated in torch, decide the reduction as torch's "
          "legacy_get_string does, with its warning")
LOSS_MODULES = ["L1Loss", "MSELoss", "HuberLoss", "SmoothL1Loss", "CrossEntropyLoss", "NLLLoss",
           "BCELoss", "BCEWithLogitsLoss", "KLDivLoss"]
DEVICE = "device: None or 'cpu' (torch.device('cpu') too); any other device is refused"

ENTRIES = [
    Entry("nn.Identity", "torch.nn.Identity"),
    Entry("nn.Linear", "torch.nn.Linear", DEVICE),
    Entry("nn.Bilinear", "torch.nn.Bilinear", DEVICE),
    Entry("nn.Conv2d", "torch.nn.Conv2d", DEVICE),
    Entry("nn.MaxPool2d", "torch.nn.MaxPool2d"),
    Entry("nn.AvgPool2d", "torch.nn.AvgPool2d"),
    Entry("nn.AdaptiveAvgPool2d", "torch.nn.AdaptiveAvgPool2d"),
    Entry("nn.BatchNorm1d", "torch.nn.BatchNorm1d", DEVICE),
    Entry("nn.BatchNorm2d", "torch.nn.BatchNorm2d", DEVICE),
    Entry("nn.SyncBatchNorm", "torch.nn.SyncBatchNorm",
          f"process_group is an optim.distributed.Communicator or an mpi4py communicator (torch: "
          f"a ProcessGroup), None meaning optim.distributed.world(), the MPI processes; the "
          f"synchronized path runs on numpy arrays (torch's raises on CPU tensors); the input "
          f"gradient counts each process's sums in proportion to its share, as "
          f"DistributedOptimizer weighs the gradients (torch's rule with equal shares); one "
          f"process is checked against torch, several under mpiexec against one process's "
          f"BatchNorm1d/2d; {DEVICE}"),
    Entry("nn.LayerNorm", "torch.nn.LayerNorm", DEVICE),
    Entry("nn.Dropout", "torch.nn.Dropout",
          f"{INPLACE}; the mask comes from nn's generator (nn.set_random_seed), so the draws "
          f"differ from torch's while their distribution is the same"),
    Entry("nn.Flatten", "torch.nn.Flatten"),
    Entry("nn.Unflatten", "torch.nn.Unflatten"),
    Entry("nn.Softmax", "torch.nn.Softmax"),
    Entry("nn.LogSoftmax", "torch.nn.LogSoftmax"),
    Entry("nn.LeakyReLU", "torch.nn.LeakyReLU", INPLACE),
    Entry("nn.ReLU", "torch.nn.ReLU", INPLACE),
    Entry("nn.GELU", "torch.nn.GELU"),
    Entry("nn.ELU", "torch.nn.ELU", INPLACE),
    Entry("nn.Softplus", "torch.nn.Softplus"),
    Entry("nn.SiLU", "torch.nn.SiLU", INPLACE),
    Entry("nn.Hardtanh", "torch.nn.Hardtanh", INPLACE),
    Entry("nn.ReLU6", "torch.nn.ReLU6", INPLACE),
    Entry("nn.PReLU", "torch.nn.PReLU", DEVICE),
    Entry("nn.Tanh", "torch.nn.Tanh"),
    Entry("nn.Sigmoid", "torch.nn.Sigmoid"),
    Entry("nn.Embedding", "torch.nn.Embedding",
          f"scale_grad_by_freq=False and sparse=False only (gradients are dense arrays here); "
          f"other values are refused with a ValueError; {DEVICE}"),
    Entry("nn.ModuleList", "torch.nn.ModuleList"),
    Entry("nn.Module", "torch.nn.Module",
          "a name= keyword is added (the label drawings, error messages and Keras layers use); "
          "torch's *args, **kwargs exist only to refuse arguments"),
    Entry("nn.Parameter", "torch.nn.Parameter",
          "dtype= and name= keywords are added (convert the data; a label for drawings); "
          "compared with torch's __new__, where its parameters are; the data is copied, where "
          "torch's Parameter shares the memory of the tensor it is made from"),
    *[Entry(f"nn.{name}", f"torch.nn.{name}", LEGACY) for name in LOSS_MODULES],
    Entry("nn.ModuleDict", "torch.nn.ModuleDict"),
    Entry("nn.ParameterList", "torch.nn.ParameterList",
          "the repr names a tensor's dtype as autograd's Tensor repr does (float32, where torch "
          "writes torch.float32)"),
]

# Parameters that an entry adds beside torch's (named in its differences).
IGNORE: dict[str, tuple[str, ...]] = {
    "nn.Module": ("name", "args", "kwargs"),
    "nn.Parameter": ("dtype", "name"),
}
