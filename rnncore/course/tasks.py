"""Training tasks of the course: next-character prediction of PIG -> S, and noun plurals (S_ or ES).

Slides 10 and 17 of "Ch. 11: RNN, LSTM" train a recurrent network to predict the next character.
The dictionary is one-hot P, I, G, S; the input sequence is PIG, the target sequence IGS, and after
training the network answers S when it has read PIG. "The same method can be extended to learn
different patterns, i.e. add S_ or ES to nouns": Type 1 PIGS_, FEES_, COWS_, CUPS_; Type 2 BUSES,
TAXES, where ``_`` is a space added to make every word 5 characters long.

Data layout (the contract the model code follows; MATLAB orientation, columns are samples):

* ``x`` : float64, shape (I, B, T), one-hot; ``x[:, b, t]`` is the symbol sample ``b`` reads at
  time ``t`` (0-based here; the slides count time from 1).
* ``targets`` : int64, shape (B, T), 0-based index into the task's alphabet of the symbol that
  follows, i.e. the input symbol at ``t + 1``.
* ``mask`` : float64, shape (B, T), 1 where the prediction at that step counts toward the loss.
* The model returns ``ps`` of shape (O, B, T), O = len(alphabet): ``ps[:, b, t]`` is its
  distribution over the symbol at ``t + 1``.

Nothing here depends on the model; the functions that read ``ps`` (:func:`suffix_predictions`,
:func:`suffix_accuracy`, :func:`pig_prediction`) need only its shape and its argmax.
"""

from __future__ import annotations

import csv
import string
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = [
    "PIG_ALPHABET",
    "PLURAL_ALPHABET",
    "PAD",
    "END",
    "SUFFIXES",
    "ES_ENDINGS",
    "ENDING_GROUPS",
    "SPLITS",
    "HELDOUT_EVERY",
    "NOUNS_PATH",
    "NOUN_HEADER",
    "NounListError",
    "Noun",
    "SequenceTask",
    "one_hot",
    "decode_one_hot",
    "check_stem",
    "plural_suffix",
    "ending_group",
    "assign_splits",
    "pad_plural",
    "load_nouns",
    "pig_task",
    "plural_task",
    "suffix_predictions",
    "suffix_accuracy",
    "PigPrediction",
    "pig_prediction",
]

PIG_ALPHABET = ("P", "I", "G", "S")  # slide 10: X1..X4 = P, I, G, S
PAD = "_"  # the slides' "_ = space added to make word size = 5"
END = "#"  # end of stem: the plural task's stems are followed by it, then by the suffix
PLURAL_ALPHABET = tuple(string.ascii_uppercase) + (PAD, END)  # A..Z rows 0..25, '_' row 26, '#' row 27
SUFFIXES = ("S_", "ES")  # slide 17's Type 1 and Type 2, padded to two characters
ES_ENDINGS = ("S", "X", "Z", "CH", "SH")  # stems ending so take ES; all others take S
# The endings the rule is about, for per-ending evaluation (see :func:`ending_group`): the five ES
# endings, then the S_ stems whose last letters look like them: H-final stems other than CH/SH (TH,
# GH, PH and the rest, "-H"), CK (C as the second-last letter, like CH), and everything else.
ENDING_GROUPS = ("-S", "-X", "-Z", "-CH", "-SH", "-TH", "-GH", "-PH", "-H", "-CK", "other")
SPLITS = ("train", "heldout")
HELDOUT_EVERY = 5  # within each suffix class, sorted stems 5, 10, 15, ... (1-based) are held out
NOUNS_PATH = Path(__file__).resolve().parent / "data" / "plural_nouns.csv"
NOUN_HEADER = ("stem", "suffix", "split")


class NounListError(ValueError):
    """The noun list is malformed; the message starts ``<file>:<line>:`` and names the problem."""


class Noun(NamedTuple):
    stem: str  # e.g. "PIG"
    suffix: str  # "S_" or "ES"
    split: str  # "train" or "heldout"


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)  # eq=False: the fields are arrays, compared element-wise elsewhere
class SequenceTask:
    """A batch of next-character prediction sequences, in the layout of the module docstring.

    Attributes
    ----------
    name : str
        ``"pig"``, ``"plural:train"``, ``"plural:heldout"`` or ``"plural:all"``.
    alphabet : tuple of str
        One symbol per one-hot row; ``alphabet[k]`` is row ``k`` of ``x`` and class ``k`` of
        ``targets`` and of ``ps``.
    x : ndarray, float64, shape (I, B, T)
        One-hot inputs: the encoded sequence without its last symbol.
    targets : ndarray, int64, shape (B, T)
        The encoded sequence shifted by one: ``targets[b, t]`` is the symbol at ``t + 1``.
    mask : ndarray, float64, shape (B, T)
        1 where the step's prediction counts toward the loss, else 0.
    words : tuple of str
        The source word of each sample, unpadded: ``"PIG"``, ``"BUS"``.
    sequences : tuple of str
        The full encoded sequence of each sample (length T + 1): ``"PIGS"``, ``"___PIG#S_"``.
    suffixes : tuple of str
        What the network must append to each word: ``"S"`` (pig task), ``"S_"`` or ``"ES"``.
    suffix_steps : tuple of int
        0-based time steps whose predictions are the suffix characters, in order; the same for
        every sample. ``ps[:, b, suffix_steps[j]]`` predicts ``suffixes[b][j]``.
    stem_width : int
        Length the words are right-aligned to (the longest stem of the noun list; 3 for PIG).
    splits : tuple of str
        ``"train"`` or ``"heldout"`` per sample (``"train"`` for the pig task).

    The arrays are read-only.
    """

    name: str
    alphabet: tuple
    x: np.ndarray
    targets: np.ndarray
    mask: np.ndarray
    words: tuple
    sequences: tuple
    suffixes: tuple
    suffix_steps: tuple
    stem_width: int
    splits: tuple

    def __post_init__(self):
        I, B, T = self.x.shape
        if I != len(self.alphabet):
            raise ValueError(f"{self.name}: x has {I} rows for an alphabet of {len(self.alphabet)} symbols")
        for field in ("targets", "mask"):
            if getattr(self, field).shape != (B, T):
                raise ValueError(f"{self.name}: {field} has shape {getattr(self, field).shape}, expected {(B, T)}")
        for field in ("words", "sequences", "suffixes", "splits"):
            if len(getattr(self, field)) != B:
                raise ValueError(f"{self.name}: {len(getattr(self, field))} {field} for {B} samples")
        if not all(0 <= t < T for t in self.suffix_steps):
            raise ValueError(f"{self.name}: suffix_steps {self.suffix_steps} outside 0..{T - 1}")
        # Out-of-range classes would not fail later: numpy indexing wraps -1 to the last class.
        if not np.issubdtype(self.targets.dtype, np.integer):
            raise ValueError(f"{self.name}: targets must hold integers, got {self.targets.dtype}")
        bad = np.argwhere((self.targets < 0) | (self.targets >= I))
        if bad.size:
            b, t = bad[0]
            raise ValueError(f"{self.name}: targets[{b}, {t}] = {self.targets[b, t]} is outside 0..{I - 1} "
                             f"(word {self.words[b]!r})")
        bad = np.argwhere((self.mask != 0) & (self.mask != 1))
        if bad.size:
            b, t = bad[0]
            raise ValueError(f"{self.name}: mask[{b}, {t}] = {float(self.mask[b, t])!r} is not 0 or 1 "
                             f"(word {self.words[b]!r})")
        bad = np.argwhere(~(np.all((self.x == 0) | (self.x == 1), axis=0) & (self.x.sum(axis=0) == 1)))
        if bad.size:
            b, t = bad[0]
            raise ValueError(f"{self.name}: x[:, {b}, {t}] is not one-hot (word {self.words[b]!r})")

    @property
    def n_samples(self) -> int:
        return self.x.shape[1]

    @property
    def n_steps(self) -> int:
        return self.x.shape[2]


# --- encoding ---------------------------------------------------------------------------------


def _alphabet_index(alphabet) -> dict:
    index = {}
    for k, s in enumerate(alphabet):
        if s in index:
            raise ValueError(f"alphabet {tuple(alphabet)!r} repeats {s!r}; every symbol needs its own row")
        index[s] = k
    return index


def one_hot(symbols, alphabet) -> np.ndarray:
    """One-hot columns of ``symbols``: float64, shape (len(alphabet), len(symbols)).

    A symbol that is not in ``alphabet`` (an index such as -1 is a symbol like any other here)
    raises ValueError naming the sequence, the symbol and its 1-based position.
    """
    index = _alphabet_index(alphabet)
    out = np.zeros((len(alphabet), len(symbols)), dtype=np.float64)
    for t, s in enumerate(symbols):
        if not isinstance(s, str) or s not in index:
            shown = repr("".join(symbols)) if isinstance(symbols, str) else repr(list(symbols))
            raise ValueError(f"{shown}: symbol {s!r} at position {t + 1} is not in the alphabet "
                             f"{''.join(alphabet)!r}")
        out[index[s], t] = 1.0
    return out


def decode_one_hot(columns, alphabet) -> str:
    """Inverse of :func:`one_hot`: the string whose one-hot columns are ``columns`` (shape (I, T)).

    Raises ValueError unless every column is exactly one 1 and zeros.
    """
    columns = np.asarray(columns)
    if columns.ndim != 2 or columns.shape[0] != len(alphabet):
        raise ValueError(f"expected shape ({len(alphabet)}, T), got {columns.shape}")
    ones = columns == 1
    if not (np.all(ones | (columns == 0)) and np.all(ones.sum(axis=0) == 1)):
        raise ValueError("not one-hot: every column must hold a single 1 and zeros")
    return "".join(alphabet[k] for k in np.argmax(columns, axis=0))


def check_stem(stem) -> str:
    """``stem`` if it is a non-empty string of uppercase letters A-Z, else ValueError naming it.

    The pad symbol ``_`` and the end-of-stem marker ``#`` are refused in a stem: inside one they
    would read as padding or as the stem's end, and an empty stem would be padding alone, followed
    by a suffix.
    """
    if not isinstance(stem, str):  # ValueError, as for every other bad stem: callers catch one type
        kind = type(stem).__name__
        raise ValueError(f"stem {stem!r} is not a string ({kind}); a stem is uppercase A-Z")  # noqa: TRY004
    if not stem:
        raise ValueError("stem '' is empty; a stem is one or more uppercase letters A-Z")
    for position, c in enumerate(stem, start=1):
        if c in (PAD, END):
            what = "pad symbol" if c == PAD else "end-of-stem marker"
            raise ValueError(f"stem {stem!r}: position {position} holds the {what} {c!r}, which only "
                             f"the encoding may add; a stem is uppercase A-Z")
        if c not in string.ascii_uppercase:
            raise ValueError(f"stem {stem!r}: position {position} holds {c!r}, not an uppercase letter A-Z")
    return stem


def plural_suffix(stem: str) -> str:
    """The suffix the stated rule gives: ``"ES"`` after s, x, z, ch or sh, else ``"S_"``.

    ``stem`` must pass :func:`check_stem` (uppercase A-Z, non-empty). The noun list holds only stems
    whose real English plural is this (see data/README.md).
    """
    return "ES" if check_stem(stem).endswith(ES_ENDINGS) else "S_"


def ending_group(stem: str) -> str:
    """The group of :data:`ENDING_GROUPS` a stem's ending falls in.

    The two-letter endings CH, SH, TH, GH, PH and CK come first (``"MOTH"`` is ``"-TH"``, not
    ``"-H"``); then a final S, X, Z or H (``"-H"`` holds the H-final stems no pair claims, e.g.
    ``"SHAH"``, ``"ANKH"``); every other stem is ``"other"``. The stem must pass :func:`check_stem`.
    """
    check_stem(stem)
    for pair in ("CH", "SH", "TH", "GH", "PH", "CK"):
        if stem.endswith(pair):
            return "-" + pair
    return "-" + stem[-1] if stem[-1] in "SXZH" else "other"


def pad_plural(stem: str, suffix: str, stem_width: int) -> str:
    """The encoded sequence of a noun: ``_`` * (stem_width - len(stem)) + stem + ``#`` + suffix.

    ``pad_plural("PIG", "S_", 6) == "___PIG#S_"``; ``pad_plural("PIGEON", "S_", 6) == "PIGEON#S_"``.
    The stem must pass :func:`check_stem`; any problem raises ValueError naming the stem.
    """
    check_stem(stem)
    if not _is_int(stem_width) or stem_width < 1:
        raise ValueError(f"stem {stem!r}: stem width {stem_width!r} must be an integer >= 1")
    if len(stem) > stem_width:
        raise ValueError(f"stem {stem!r} is longer than the stem width {stem_width}")
    if suffix not in SUFFIXES:
        raise ValueError(f"stem {stem!r}: suffix {suffix!r} is not one of {SUFFIXES}")
    return PAD * (stem_width - len(stem)) + stem + END + suffix


def _sequence_task(name, alphabet, words, sequences, suffixes, splits, stem_width, mask) -> SequenceTask:
    T = len(sequences[0]) - 1
    B = len(sequences)
    x = np.zeros((len(alphabet), B, T), dtype=np.float64)
    targets = np.zeros((B, T), dtype=np.int64)
    index = _alphabet_index(alphabet)
    for b, seq in enumerate(sequences):
        x[:, b, :] = one_hot(seq[:-1], alphabet)  # inputs: the sequence minus its last symbol
        targets[b, :] = [index[s] for s in seq[1:]]  # targets: the sequence shifted by one
    n_suffix = len(suffixes[0])
    return SequenceTask(
        name=name,
        alphabet=tuple(alphabet),
        x=_readonly(x),
        targets=_readonly(targets),
        mask=_readonly(np.asarray(mask, dtype=np.float64)),
        words=tuple(words),
        sequences=tuple(sequences),
        suffixes=tuple(suffixes),
        suffix_steps=tuple(range(T - n_suffix, T)),  # the suffix is always the last n_suffix targets
        stem_width=stem_width,
        splits=tuple(splits),
    )


# --- the PIG task (slides 10-17) ----------------------------------------------------------------


def pig_task() -> SequenceTask:
    """Slide 17's training sample: read P, I, G; predict I, G, S.

    Alphabet ``('P', 'I', 'G', 'S')`` with slide 10's one-hot codes, P = [1 0 0 0]', I = [0 1 0 0]',
    G = [0 0 1 0]', S = [0 0 0 1]'. One sample, T = 3: ``x`` (4, 1, 3) holds the columns of P, I, G;
    ``targets`` is [[1, 2, 3]] (I, G, S); the mask is all ones (every step is trained, as on slide
    17). ``suffix_steps`` is (2,): ``ps[:, 0, 2]`` (the slides' t = 3) must predict S.

    rnn2.m writes ``in_S=[0 0 1 0]'``, a copy of G's code. That quirk does not matter here: S is
    never an input (rnn2.m's loop stops before it, and here it is only the last target, given as the
    class index 3), and S's one-hot code, used nowhere in ``x``, is [0 0 0 1]'.
    """
    return _sequence_task(
        name="pig",
        alphabet=PIG_ALPHABET,
        words=("PIG",),
        sequences=("PIGS",),
        suffixes=("S",),
        splits=("train",),
        stem_width=3,
        mask=np.ones((1, 3)),
    )


# --- the plural task (slide 17) -----------------------------------------------------------------


def assign_splits(stems_by_suffix) -> dict:
    """The documented split: ``{stem: "train" | "heldout"}``.

    ``stems_by_suffix`` maps each suffix class to its stems. Within a class the stems are sorted
    alphabetically and positions 5, 10, 15, ... (1-based, every ``HELDOUT_EVERY``-th) are held out,
    so both classes appear in both splits (a class needs at least 5 stems for a held-out one).
    """
    split = {}
    for stems in stems_by_suffix.values():
        for position, stem in enumerate(sorted(stems), start=1):
            split[stem] = "heldout" if position % HELDOUT_EVERY == 0 else "train"
    return split


def load_nouns(path=None) -> list:
    """Read the noun list (default ``rnncore/data/plural_nouns.csv``) as a list of :class:`Noun`.

    The file is CSV with the header ``stem,suffix,split`` and one noun per line, in file order. A
    stem is non-empty uppercase A-Z; the suffix is ``S_`` or ``ES`` and must be what
    :func:`plural_suffix` gives; the split is ``train`` or ``heldout``; stems are unique. Any breach
    raises :class:`NounListError` naming the file, the line and the problem. (That the split column
    follows :func:`assign_splits` is checked by the tests, not here.)
    """
    path = Path(NOUNS_PATH if path is None else path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NounListError(f"{path}: noun list not found") from None
    except UnicodeDecodeError as exc:
        raise NounListError(f"{path}: not UTF-8 text ({exc})") from None

    def fail(line, problem):
        raise NounListError(f"{path}:{line}: {problem}")

    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        fail(1, f"empty file, expected the header {','.join(NOUN_HEADER)}")
    if tuple(header) != NOUN_HEADER:
        fail(1, f"header is {','.join(header)!r}, expected {','.join(NOUN_HEADER)!r}")
    nouns, first_line = [], {}
    for row in reader:
        line = reader.line_num
        if not row:
            fail(line, "blank line")
        if len(row) != len(NOUN_HEADER):
            fail(line, f"{len(row)} fields, expected {len(NOUN_HEADER)} (stem,suffix,split): {','.join(row)!r}")
        stem, suffix, split = row
        if not stem or not all(c in string.ascii_uppercase for c in stem):
            fail(line, f"stem {stem!r} is not uppercase A-Z")
        if suffix not in SUFFIXES:
            fail(line, f"suffix {suffix!r} for {stem} is not one of {', '.join(SUFFIXES)}")
        if split not in SPLITS:
            fail(line, f"split {split!r} for {stem} is not one of {', '.join(SPLITS)}")
        if suffix != plural_suffix(stem):
            fail(line, f"{stem} has suffix {suffix} but the rule (ES after s, x, z, ch, sh; else S_) "
                       f"gives {plural_suffix(stem)}")
        if stem in first_line:
            fail(line, f"duplicate stem {stem} (first on line {first_line[stem]})")
        first_line[stem] = line
        nouns.append(Noun(stem, suffix, split))
    if not nouns:
        fail(2, "no nouns after the header")
    return nouns


def plural_task(split: str = "train", path=None, mask_all_steps: bool = False) -> SequenceTask:
    """Slide 17's plural task: read a noun, predict its two-character suffix S_ or ES.

    Parameters
    ----------
    split : "train", "heldout" or "all"
        Which nouns of the list to use (see data/README.md for the fixed split).
    path : path-like, optional
        Noun list; default ``rnncore/data/plural_nouns.csv`` (see :func:`load_nouns`).
    mask_all_steps : bool
        False (default): the mask is 1 only on the two suffix steps. True: 1 on every step whose
        target is not left padding, i.e. the network is also trained to predict each stem letter
        from the preceding ones; steps whose target is padding stay 0 in both cases.

    Encoding
    --------
    Alphabet A-Z, ``_`` and ``#`` (28 symbols). Stems have several lengths, so the network has to
    be able to tell where a stem ends (PIG, then S_, against PIGEON). Every stem is right-aligned:
    left-padded with ``_`` to the longest stem length L of the whole noun list (all splits, so
    train and held-out tasks have the same T), then followed by the end-of-stem marker ``#`` and
    its suffix::

        "PIG", L = 8  ->  "_____PIG#S_"      "BUS", L = 8  ->  "_____BUS#ES"

    The suffix therefore always starts at the same step, and the marker says where the stem ended
    without the network having to count steps. Both are needed, measured (data/README.md and
    docs/training.md): with right-alignment alone ("_____PIGS_"), the suffix
    comes at a fixed step, but the networks did not learn to count to it: an S read after a vowel
    looked the same whether it ended the stem (CANVAS, MADRAS, DAIS: ES) or was the suffix S of a
    vowel-final stem (CAMERA, TAXI: S_), and the diagonal and LSTM models missed such stems on
    every setting of epochs, hidden size and learning rate tried. The slides' own examples
    (3-letter stems, words of size 5, "PIGS_", "BUSES") carry no marker: with a single stem
    length, position tells it all.

    Inputs are the sequence minus its last symbol (T = L + 2 steps), targets the sequence shifted
    by one. The suffix targets are at the last two steps, ``suffix_steps = (L, L + 1)``
    (0-based): step L reads ``#`` and predicts suffix character 1 (the stem's last letter was
    read the step before), step L + 1 predicts suffix character 2 from suffix character 1 (which
    is the input there).
    """
    if split not in SPLITS + ("all",):
        raise ValueError(f"split must be 'train', 'heldout' or 'all', got {split!r}")
    nouns = load_nouns(path)
    width = max(len(n.stem) for n in nouns)
    chosen = [n for n in nouns if split == "all" or n.split == split]
    if not chosen:
        raise ValueError(f"no nouns in split {split!r} of {NOUNS_PATH if path is None else path}")
    sequences = [pad_plural(n.stem, n.suffix, width) for n in chosen]
    T = width + 2
    if mask_all_steps:
        # target at step t is sequence[t + 1]; it is padding for t + 1 < width - len(stem)
        mask = np.array([[1.0 if t + 1 >= width - len(n.stem) else 0.0 for t in range(T)] for n in chosen])
    else:
        mask = np.zeros((len(chosen), T))
        mask[:, T - 2:] = 1.0
    return _sequence_task(
        name=f"plural:{split}",
        alphabet=PLURAL_ALPHABET,
        words=[n.stem for n in chosen],
        sequences=sequences,
        suffixes=[n.suffix for n in chosen],
        splits=[n.split for n in chosen],
        stem_width=width,
        mask=mask,
    )


# --- decoding and evaluation ----------------------------------------------------------------------


def _check_ps(task: SequenceTask, ps) -> np.ndarray:
    ps = np.asarray(ps, dtype=np.float64)
    expected = (len(task.alphabet), task.n_samples, task.n_steps)
    if ps.shape != expected:
        raise ValueError(f"ps has shape {ps.shape}, expected (O, B, T) = {expected} for task {task.name}")
    if not np.all(np.isfinite(ps)):
        raise ValueError(f"ps holds NaN or Inf (task {task.name})")
    return ps


def suffix_predictions(task: SequenceTask, ps) -> tuple:
    """The suffix each sample's predictions spell: greedy argmax of ``ps`` at ``task.suffix_steps``.

    ``ps`` has shape (O, B, T) (see the module docstring); ties go to the lower alphabet index
    (``np.argmax``). The decoding is teacher-forced, as the forward pass that produced ``ps`` was:
    at the second suffix step the network's input is the true first suffix character, not its own
    prediction, so the second character is predicted given the right first one. (A free-running
    decode would feed the predicted character back, which needs the model, not only ``ps``.)
    """
    ps = _check_ps(task, ps)
    steps = list(task.suffix_steps)
    best = np.argmax(ps[:, :, steps], axis=0)  # (B, len(steps))
    return tuple("".join(task.alphabet[k] for k in row) for row in best)


def suffix_accuracy(task: SequenceTask, ps) -> float:
    """Fraction of samples whose whole suffix (both characters) :func:`suffix_predictions` gets right."""
    predicted = suffix_predictions(task, ps)
    n_right = sum(p == s for p, s in zip(predicted, task.suffixes))
    return n_right / task.n_samples


class PigPrediction(NamedTuple):
    letter: str  # argmax symbol of PIG_ALPHABET
    column: np.ndarray  # (4, 1) softmax column it was read from, MATLAB orientation


def pig_prediction(ps) -> PigPrediction:
    """What the network predicts after reading P, I, G: the letter at the slides' t = 3.

    ``ps`` is either the model's output for :func:`pig_task`, shape (4, 1, 3), read at
    ``ps[:, 0, 2]``; or a MATLAB-layout (4, T) array whose last column is that prediction: (4, 3)
    one column per step, or rnn2.m's ``softmax_y_out`` (4, 4), whose first column is MATLAB's zero
    fill. Slide 16 reads rnn2.m's untrained result as P (0.4332 against S's 0.2099); a trained
    network gives S.
    """
    ps = np.asarray(ps, dtype=np.float64)
    if ps.shape == (4, 1, 3):
        column = ps[:, 0, 2]
    elif ps.ndim == 2 and ps.shape[0] == 4 and ps.shape[1] in (3, 4):
        column = ps[:, -1]
    else:
        raise ValueError(f"ps must have shape (4, 1, 3), (4, 3) or (4, 4), got {ps.shape}")
    if not np.all(np.isfinite(column)):
        raise ValueError("the prediction column holds NaN or Inf")
    return PigPrediction(PIG_ALPHABET[int(np.argmax(column))], column.reshape(4, 1).copy())
