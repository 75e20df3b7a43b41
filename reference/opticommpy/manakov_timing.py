"""Times OptiCommPy 0.11's manakovSSF on the field size and step count of
examples/manakov_speed.rs: 2^16 samples (a 5-channel WDM comb, two polarisations), 10 x 80 km,
fixed 1 km steps (nlprMethod=False), ideal amplifiers, once with its default trapezoidal
iteration (maxIter=10, tol=1e-5) and once with maxIter=1 (one nonlinear evaluation per step,
as fibra's merged split step). Prints one JSON line per setting.

    python3 -m venv .venv-ocp && .venv-ocp/bin/pip install OptiCommPy==0.11.0
    .venv-ocp/bin/python reference/opticommpy/manakov_timing.py
"""
import json
import platform
import time

import numpy as np
from optic.models.channels import manakovSSF
from optic.utils import parameters

N = 1 << 16
FS = 16 * 32e9  # 16 samples per symbol at 32 GBd: 512 GS/s
rng = np.random.default_rng(7)
t = np.arange(N) / FS
field = np.zeros((N, 2), dtype=np.complex128)
for k in range(-2, 3):  # five channels, 50 GHz apart
    symbols = (rng.choice([-1, 1], size=(N // 16, 2)) + 1j * rng.choice([-1, 1], size=(N // 16, 2)))
    samples = np.repeat(symbols, 16, axis=0) * np.sqrt(1e-3 / 2)  # 0 dBm per channel
    field += samples * np.exp(2j * np.pi * k * 50e9 * t)[:, None]

for max_iter in (10, 1):
    p = parameters()
    p.Ltotal = 800
    p.Lspan = 80
    p.hz = 1.0
    p.alpha = 0.2
    p.D = 16.0
    p.gamma = 1.3
    p.Fc = 193.1e12
    p.Fs = FS
    p.amp = "ideal"
    p.nlprMethod = False
    p.maxIter = max_iter
    p.tol = 1e-5
    p.prgsBar = False
    start = time.perf_counter()
    manakovSSF(field.copy(), p)
    elapsed = time.perf_counter() - start
    print(json.dumps({
        "tool": "OptiCommPy 0.11.0 manakovSSF",
        "samples": N,
        "steps": 800,
        "max_iter": max_iter,
        "seconds": round(elapsed, 3),
        "us_per_step": round(elapsed / 800 * 1e6, 1),
        "numpy": np.__version__,
        "python": platform.python_version(),
    }))
