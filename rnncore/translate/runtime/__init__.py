"""MATLAB's semantics for the Python that ``rnncore translate`` writes (imported there as ``mr``).

Orientation, once: values have MATLAB's shapes (at least 2-D, a column is (n, 1), a scalar (1, 1),
trailing singleton dimensions beyond the second dropped), elements are ordered column-major, and
subscripts are 1-based, exactly as in the ``.m`` file; nothing here converts to 0-based or row-major
for the reader.

Values
------
=====================  ================================================================
MATLAB class           Python value inside a translated function
=====================  ================================================================
double                 :class:`MArray` of dtype float64
logical                :class:`MArray` of dtype bool
char                   :class:`MArray` of dtype uint16 (the character codes)
cell                   :class:`Cell` (a list of the elements in column-major order)
struct                 :class:`Struct` (field names, and a dict of fields per element)
function_handle        a Python callable (``lambda``)
=====================  ================================================================

Why a subclass of ``numpy.ndarray``: numpy's operators disagree with MATLAB's in a few places that
give no error, just another number. ``True + True`` is ``True`` in numpy (logical or) and 2 in
MATLAB; uint16 arithmetic wraps around in numpy, while MATLAB's char arithmetic is double; numpy
broadcasts a (3, 4) array against a (3, 4, 2) one by adding dimensions on the *left*, MATLAB on the
*right*; ``(-8) ** (1/3)`` is NaN in numpy and complex in MATLAB. :meth:`MArray.__array_ufunc__`
settles all of these, so the generated code can keep numpy's own operators (``+ - * / **``,
comparisons, ``& | ~``) and element-wise functions (``np.tanh``, ``np.exp`` ...). ``if`` and
``while`` test an :class:`MArray` as MATLAB does (true when non-empty and all non-zero).

Value semantics: no function here changes an array in place; :func:`assign` returns a new array,
so an alias (``b = a``, a captured variable of a ``lambda``) never sees a later change of ``a``.

At the boundary of a translated function (:func:`outputs`, :func:`workspace`) values become the
port contract of rnncore's parity cases: float64 and bool numpy arrays, ``str`` for a 1xN char
row, a list (:class:`Cell`) for a cell array, a ``dict`` of its fields for a 1x1 struct.

Complex numbers, integer classes and MATLAB string objects are outside the subset (Octave's
``"..."`` is a char row, as Octave reads it): an
operation that would produce a complex result raises :class:`MatlabError` instead.
"""

from __future__ import annotations

from .values import *  # noqa: F403
from .workspace import *  # noqa: F403
from .indexing import *  # noqa: F403
from .arithmetic import *  # noqa: F403
from .queries import *  # noqa: F403
from .reductions import *  # noqa: F403
from .text import *  # noqa: F403
from .stats import *  # noqa: F403
from .arrange import *  # noqa: F403
from .linalg import *  # noqa: F403
from .special import *  # noqa: F403
from .constants import *  # noqa: F403
from .provenance import *  # noqa: F403
from .functional import *  # noqa: F403
from .optim import *  # noqa: F403
from .random import *  # noqa: F403
from .files import *  # noqa: F403
from .registry import *  # noqa: F403
from .display import *  # noqa: F403
from .structs import *  # noqa: F403
from .control import *  # noqa: F403
from .assertions import *  # noqa: F403
from .paths import *  # noqa: F403
from .sparse import *  # noqa: F403
from .complexparts import *  # noqa: F403
from .values import __all__ as _values
from .workspace import __all__ as _workspace
from .indexing import __all__ as _indexing
from .arithmetic import __all__ as _arithmetic
from .queries import __all__ as _queries
from .reductions import __all__ as _reductions
from .text import __all__ as _text
from .stats import __all__ as _stats
from .arrange import __all__ as _arrange
from .linalg import __all__ as _linalg
from .special import __all__ as _special
from .constants import __all__ as _constants
from .provenance import __all__ as _provenance
from .functional import __all__ as _functional
from .optim import __all__ as _optim
from .random import __all__ as _random
from .files import __all__ as _files
from .registry import __all__ as _registry
from .display import __all__ as _display
from .structs import __all__ as _structs
from .control import __all__ as _control
from .assertions import __all__ as _assertions
from .paths import __all__ as _paths
from .sparse import __all__ as _sparse
from .complexparts import __all__ as _complexparts

__all__ = (_values + _workspace + _indexing + _arithmetic + _queries + _reductions + _text + _stats + _arrange
           + _linalg + _special + _constants + _provenance + _functional
           + _optim + _registry + _display + _structs + _control + _random + _files
           + _assertions + _paths + _sparse + _complexparts)
