"""Deliberately wrong ports of rnn2.m: the parity gate must catch each of them."""

import dataclasses

import numpy as np

from rnncore.course.rnn2 import COURSE_INPUT, COURSE_WEIGHTS, rnn2_forward


def rnn2_whx_off_by_1e9():
    """whx(1,1) off by 1e-9: a slip far below the 4 decimals the slides print."""
    whx = COURSE_WEIGHTS.whx.copy()
    whx[0, 0] += 1e-9
    return rnn2_forward(dataclasses.replace(COURSE_WEIGHTS, whx=whx), COURSE_INPUT)


def rnn2_squeezed():
    """Returns ht transposed (4x3), a classic row/column slip."""
    out = rnn2_forward(COURSE_WEIGHTS, COURSE_INPUT)
    return {**out, "ht": np.ascontiguousarray(out["ht"].T)}


def rnn2_without_softmax():
    """Forgets one variable."""
    out = rnn2_forward(COURSE_WEIGHTS, COURSE_INPUT)
    del out["softmax_y_out"]
    return out
