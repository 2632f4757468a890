"""Measure how far GNU Octave and numpy drift apart on the operations rnn2.m uses, in ULP.

The parity tolerance in config/config.yaml comes from this measurement: it must cover the honest
differences between two correct engines (libm's tanh/exp versus numpy's SIMD kernels, BLAS versus
numpy summation order) and nothing more. Run it from the repo root:

    python benchmarks/ulp_octave_vs_numpy.py [n_draws]

It prints, per operation, the distribution of ULP distances over seeded random inputs, and for
the full rnn2 network (random weights and one-hot sequences, the shapes of the course example)
the largest distance per output variable.
"""

import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnncore.engine.parity import ulp_distance  # noqa: E402
from rnncore.course.rnn2 import RNN2Weights, rnn2_forward  # noqa: E402
from rnncore.engine.octave import run_script  # noqa: E402


def main(n_draws=2000, ulp_budget=16):
    rng = np.random.default_rng(20261125)
    x = rng.uniform(-6, 6, size=(1, 200_000))
    H, I, O, T = 3, 4, 4, 4
    draws = []
    for _ in range(n_draws):
        draws.append((rng.uniform(-1, 1, (H, I)), rng.uniform(-1, 1, (H, 1)), rng.uniform(-1, 1, (H, 1)),
                      rng.uniform(-1, 1, (O, H)), np.eye(I)[:, rng.integers(0, I, T)]))
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "measure.m"
        # The draws are pushed in as 3-D stacks and looped over in one session.
        script.write_text(
            "tanh_x = tanh(x); exp_x = exp(x);\n"
            "n = size(WHX, 3); HT = zeros(3, 4, n); Y = zeros(4, 4, n); S = zeros(4, 4, n);\n"
            "for k = 1:n\n"
            "  whx = WHX(:,:,k); whh = WHH(:,:,k); bias = B(:,:,k); why = WHY(:,:,k); in = IN(:,:,k);\n"
            "  ht = zeros(3,1); y_out = []; softmax_y_out = [];\n"
            "  for t = 1:length(in)-1\n"
            "    ht(:,t+1)=tanh(whx*in(:,t)+whh.*ht(:,t)+bias);\n"
            "    y_out(:,t+1)=why*ht(:,t+1);\n"
            "    softmax_y_out(:,t+1)=softmax(y_out(:,t+1));\n"
            "  end\n"
            "  HT(:,:,k) = ht; Y(:,:,k) = y_out; S(:,:,k) = softmax_y_out;\n"
            "end\n"
        )
        stack = lambda i: np.stack([d[i] for d in draws], axis=2)  # noqa: E731  (rows, cols, draw)
        res = run_script(script, ["tanh_x", "exp_x", "HT", "Y", "S"], shim_dirs=[ROOT / "matlab_ref" / "compat"],
                         timeout=600, inputs={"x": x, "WHX": stack(0), "WHH": stack(1), "B": stack(2),
                                              "WHY": stack(3), "IN": stack(4)})
    print(f"octave {res.versions['octave']}, BLAS: {res.versions['blas']}; numpy {np.__version__}")
    for name, mine in (("tanh_x", np.tanh(x)), ("exp_x", np.exp(x))):
        u = ulp_distance(res.values[name], mine).astype(np.float64)
        print(f"{name}: max {u.max():.0f} ULP, share exact {np.mean(u == 0):.4f}, share <= 1 {np.mean(u <= 1):.4f}")
    print(f"rnn2 over {n_draws} random draws (weights U(-1,1), one-hot inputs):")
    for name, oct_name in (("ht", "HT"), ("y_out", "Y"), ("softmax_y_out", "S")):
        oc = res.values[oct_name].reshape(res.sizes[oct_name], order="F")  # (rows, cols, draw)
        py = np.stack([rnn2_forward(RNN2Weights(whx=d[0], whh=d[1], bias=d[2], why=d[3]), d[4])[name]
                       for d in draws], axis=2)
        u = ulp_distance(oc, py).astype(np.float64).ravel()
        err = np.abs(oc - py).ravel()
        big = u > ulp_budget
        print(f"  {name}: max {u.max():.0f} ULP, 99.9% <= {np.quantile(u, 0.999):.0f} ULP; "
              f"{big.sum()} elements above {ulp_budget} ULP, all with |value| <= "
              f"{np.abs(oc.ravel()[big]).max() if big.any() else 0:.3g} and abs error <= "
              f"{err[big].max() if big.any() else 0:.3g}; max abs error overall {err.max():.3g}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
