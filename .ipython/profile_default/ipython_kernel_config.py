# The series' kernels (started by `make lab`, `make notebooks` and `make test`, which set
# IPYTHONDIR to this folder). Only errors reach the terminal: the kernel's notice that it talks to
# JupyterLab over local TCP without encryption is not something a learner can or needs to act on.
c = get_config()  # noqa: F821
c.IPKernelApp.log_level = "ERROR"
