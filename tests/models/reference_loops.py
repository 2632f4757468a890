"""The straightforward per-step loops the models were first written as: the bit-identity reference.

``rnncore.models.elman`` and ``rnncore.models.lstm`` store their states time-major and run the
output layer, softmax, loss and gradient contributions once over all steps, for speed. This file
keeps the plain MATLAB-order code they replaced (one step at a time, in (n, B, T) layout, the
``matlab_ref/`` scripts' shape), copied from the models as they were before that restructure and
depending on numpy alone, so that ``test_bit_identity.py`` can hold the fast code to the same bits
(not to a tolerance). Do not "improve" this file: its value is that it does not change.
"""

from __future__ import annotations

import numpy as np


def log_softmax(y):
    z = y - np.fmax.reduce(y, axis=0, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=0, keepdims=True)
    return z - np.log(s), e / s


def sigmoid(z):
    with np.errstate(over="ignore", under="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def _state(s0, H, B):
    return np.zeros((H, B)) if s0 is None else np.broadcast_to(np.asarray(s0, dtype=np.float64), (H, B)).copy()


def _outputs(why, by, h, t, ys, ps, logps):
    y = why @ h + by
    ys[:, :, t] = y
    logps[:, :, t], ps[:, :, t] = log_softmax(y)


def nll_loss(logps, targets, mask):
    _, B, T = logps.shape
    cols = np.arange(B)
    loss = 0.0
    for t in range(T):
        nll = -logps[targets[:, t], cols, t]
        loss = loss + np.sum(mask[:, t] * nll)
    return float(loss / B)


def _dy(ps, targets, mask, t):
    B = ps.shape[1]
    dy = ps[:, :, t].copy()
    dy[targets[:, t], np.arange(B)] -= 1.0
    return dy * (mask[:, t] / B)


# --------------------------------------------------------------------------- Elman


def elman_forward(whx, whh, bias, why, by, x, h0=None):
    """``{"hs", "ys", "ps", "logps"}`` in (n, B, T) layout."""
    _, B, T = x.shape
    H, O = whx.shape[0], why.shape[0]
    h = _state(h0, H, B)
    hs = np.zeros((H, B, T + 1))
    hs[:, :, 0] = h
    ys, ps, logps = np.zeros((O, B, T)), np.zeros((O, B, T)), np.zeros((O, B, T))
    for t in range(T):
        x_t = np.ascontiguousarray(x[:, :, t])
        rec = whh * h if whh.shape == (H, 1) else whh @ h  # diagonal (course) or full recurrence
        h = np.tanh((whx @ x_t + rec) + bias)
        hs[:, :, t + 1] = h
        _outputs(why, by, h, t, ys, ps, logps)
    return {"hs": hs, "ys": ys, "ps": ps, "logps": logps}


def elman_backward(whx, whh, bias, why, by, x, hs, ps, targets, mask):
    """``(grads dict, dhs (H, B, T))``: the weight gradients and d loss / d h after each input."""
    _, B, T = ps.shape
    H = whx.shape[0]
    diagonal = whh.shape[1] == 1
    g = {"whx": np.zeros_like(whx), "whh": np.zeros_like(whh), "bias": np.zeros_like(bias),
         "why": np.zeros_like(why), "by": np.zeros_like(by)}
    dhs = np.zeros((H, B, T))
    dh_next = np.zeros_like(hs[:, :, 0])
    for t in reversed(range(T)):
        h, h_prev, x_t = hs[:, :, t + 1], hs[:, :, t], x[:, :, t]
        dy = _dy(ps, targets, mask, t)
        g["why"] = g["why"] + dy @ h.T
        g["by"] = g["by"] + dy.sum(axis=1, keepdims=True)
        dh = why.T @ dy + dh_next
        dhs[:, :, t] = dh
        dh_raw = (1.0 - h * h) * dh
        g["bias"] = g["bias"] + dh_raw.sum(axis=1, keepdims=True)
        g["whx"] = g["whx"] + dh_raw @ x_t.T
        if diagonal:
            g["whh"] = g["whh"] + (dh_raw * h_prev).sum(axis=1, keepdims=True)
            dh_next = whh * dh_raw
        else:
            g["whh"] = g["whh"] + dh_raw @ h_prev.T
            dh_next = whh.T @ dh_raw
    return g, dhs


# --------------------------------------------------------------------------- LSTM


def lstm_forward(W, R, b, why, by, x, h0=None, c0=None):
    """``{"i", "f", "g", "o", "cs", "tanh_cs", "hs", "ys", "ps", "logps"}`` in (n, B, T) layout."""
    _, B, T = x.shape
    H, O = R.shape[1], why.shape[0]
    h, c = _state(h0, H, B), _state(c0, H, B)
    out = {k: np.zeros((H, B, T)) for k in ("i", "f", "g", "o", "tanh_cs")}
    out["hs"], out["cs"] = np.zeros((H, B, T + 1)), np.zeros((H, B, T + 1))
    out["hs"][:, :, 0], out["cs"][:, :, 0] = h, c
    for k in ("ys", "ps", "logps"):
        out[k] = np.zeros((O, B, T))
    for t in range(T):
        x_t = np.ascontiguousarray(x[:, :, t])
        a = (W @ x_t + R @ h) + b
        i = sigmoid(a[0:H])
        f = sigmoid(a[H:2 * H])
        g = np.tanh(a[2 * H:3 * H])
        o = sigmoid(a[3 * H:4 * H])
        c = f * c + i * g
        tanh_c = np.tanh(c)
        h = o * tanh_c
        for k, v in (("i", i), ("f", f), ("g", g), ("o", o)):
            out[k][:, :, t] = v
        out["cs"][:, :, t + 1], out["tanh_cs"][:, :, t], out["hs"][:, :, t + 1] = c, tanh_c, h
        _outputs(why, by, h, t, out["ys"], out["ps"], out["logps"])
    return out


def lstm_backward(W, R, b, why, by, x, fw, targets, mask):
    """``(grads dict, dhs (H, B, T))`` from the forward dict ``fw``."""
    hs, cs, tanh_cs, ps = fw["hs"], fw["cs"], fw["tanh_cs"], fw["ps"]
    _, B, T = ps.shape
    H = R.shape[1]
    gw = {"W": np.zeros_like(W), "R": np.zeros_like(R), "b": np.zeros_like(b),
          "why": np.zeros_like(why), "by": np.zeros_like(by)}
    dhs = np.zeros((H, B, T))
    dh_next = np.zeros((H, B))
    dc_next = np.zeros((H, B))
    for t in reversed(range(T)):
        i, f, g, o = fw["i"][:, :, t], fw["f"][:, :, t], fw["g"][:, :, t], fw["o"][:, :, t]
        h, h_prev, c_prev, tanh_c = hs[:, :, t + 1], hs[:, :, t], cs[:, :, t], tanh_cs[:, :, t]
        x_t = x[:, :, t]
        dy = _dy(ps, targets, mask, t)
        gw["why"] = gw["why"] + dy @ h.T
        gw["by"] = gw["by"] + dy.sum(axis=1, keepdims=True)
        dh = why.T @ dy + dh_next
        dhs[:, :, t] = dh
        d_o = dh * tanh_c
        dc = dh * o * (1.0 - tanh_c * tanh_c) + dc_next
        d_i = dc * g
        d_f = dc * c_prev
        d_g = dc * i
        dc_next = dc * f
        da = np.concatenate([
            d_i * i * (1.0 - i),
            d_f * f * (1.0 - f),
            d_g * (1.0 - g * g),
            d_o * o * (1.0 - o),
        ])
        gw["W"] = gw["W"] + da @ x_t.T
        gw["R"] = gw["R"] + da @ h_prev.T
        gw["b"] = gw["b"] + da.sum(axis=1, keepdims=True)
        dh_next = R.T @ da
    return gw, dhs
