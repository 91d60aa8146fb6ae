"""``python -m benchmarks``: one thread for everyone, then the run (see run.py)."""

import os

# Single-threaded BLAS and runtimes for every system. These are read when NumPy (OpenBLAS),
# PyTorch and XLA load, so they are set before any of them is imported; run.py also pins the
# process to one core and calls torch.set_num_threads(1).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "")
                           + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1").strip()

from .run import main  # noqa: E402

main()
