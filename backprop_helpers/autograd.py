"""A tiny scalar reverse-mode autograd engine (notebook 02, "A tiny autograd engine").

Every operation on a ``Value`` makes a new ``Value`` that remembers its inputs (``parents``), the
operation (``op``) and the *local derivatives* ∂(this node)/∂(parent).  ``root.backward()`` applies
the chain rule of notebook 02, ∂E/∂u = Σ over the nodes v that use u of ∂v/∂u · ∂E/∂v, in reversed
topological order, so gradients *add* where a value is used twice (``b = a + a; c = b + b`` gives
∂c/∂a = 4).  A plain number (``w * 2``, ``1 - y``) is folded into the node's ``op`` (``"×2"``,
``"1−"``) instead of becoming a node of its own, which keeps drawings small.
"""

import math
import numbers

from .activations import sigmoid as _sigmoid
from .activations import softplus as _softplus
from .validation import real

__all__ = ["Value", "topological_order"]


_real = real  # every number entering the graph: a finite real, or an error naming it


def _fmt(number):
    return f"{number:g}"


class Value:
    """One scalar node of a computational graph: ``data``, ``grad``, ``label``, ``op``, ``parents``.

    ``Value(0.5, "w")`` is a leaf (an input or a parameter).  Supported: ``+ - * /`` with
    another Value or a plain number on either side, ``-v``, ``v ** n`` for a number n, and
    the methods ``exp``, ``log``, ``sigmoid``, ``tanh``, ``relu``, ``softplus``.
    """

    __array_ufunc__ = None  # numpy scalars defer to Value's reflected operators

    def __init__(self, data, label="", *, _parents=(), _local=(), _op=""):
        self.data = _real(data, "data")
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.grad = 0.0
        self.label = label
        self.op = _op
        self._parents = tuple(_parents)
        self._local = tuple(_local)  # ∂self/∂parent for each parent, same order

    @property
    def parents(self):
        """The Values this node was computed from (empty for a leaf)."""
        return self._parents

    @property
    def local_derivatives(self):
        """∂(this node)/∂(parent) for each parent, in the order of ``parents``."""
        return self._local

    def named(self, label):
        """Set the label (shown in drawings and status lines) and return self: ``(w * x).named("wx")``."""
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.label = label
        return self

    def __repr__(self):
        name = f"{self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # -- building blocks -------------------------------------------------------------------
    def _unary(self, data, local, op):
        return Value(data, _parents=(self,), _local=(local,), _op=op)

    def _other(self, other, symbol):
        if isinstance(other, Value):
            return other
        if isinstance(other, bool) or not isinstance(other, numbers.Real):
            raise TypeError(
                f"unsupported operand for {symbol}: Value and {type(other).__name__} {other!r}; "
                "expected a Value or a real number"
            )
        return _real(other, f"the number in {symbol}")

    # -- arithmetic: d(a+b) = 1, 1; d(a−b) = 1, −1; d(ab) = b, a; d(a/b) = 1/b, −a/b² -------
    def __add__(self, other):
        """Sum u + v; local derivatives ∂/∂u = 1 and ∂/∂v = 1 (notebook 02, sum node)."""
        other = self._other(other, "+")
        if isinstance(other, float):
            op = f"+{_fmt(other)}" if other >= 0 else f"−{_fmt(-other)}"
            return self._unary(self.data + other, 1.0, op)
        return Value(self.data + other.data, _parents=(self, other), _local=(1.0, 1.0), _op="+")

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        """Difference u − v; local derivatives 1 and −1 (notebook 02, e.g. the residual t − y)."""
        other = self._other(other, "−")
        if isinstance(other, float):
            op = f"−{_fmt(other)}" if other >= 0 else f"+{_fmt(-other)}"
            return self._unary(self.data - other, 1.0, op)
        return Value(self.data - other.data, _parents=(self, other), _local=(1.0, -1.0), _op="−")

    def __rsub__(self, other):
        other = self._other(other, "−")
        return self._unary(other - self.data, -1.0, f"{_fmt(other)}−")

    def __mul__(self, other):
        """Product u·v; local derivatives ∂/∂u = v and ∂/∂v = u (notebook 02, e.g. z = w·x + b)."""
        other = self._other(other, "×")
        if isinstance(other, float):
            return self._unary(self.data * other, other, f"×{_fmt(other)}")
        return Value(self.data * other.data, _parents=(self, other), _local=(other.data, self.data), _op="×")

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        """Quotient u/v; local derivatives 1/v and −u/v² (notebook 02)."""
        other = self._other(other, "÷")
        divisor = other if isinstance(other, float) else other.data
        if divisor == 0:
            raise ZeroDivisionError(f"division by zero: the divisor {other!r} is 0")
        if isinstance(other, float):
            return self._unary(self.data / other, 1.0 / other, f"÷{_fmt(other)}")
        return Value(self.data / divisor, _parents=(self, other),
                     _local=(1.0 / divisor, -self.data / divisor**2), _op="÷")

    def __rtruediv__(self, other):
        other = self._other(other, "÷")
        if self.data == 0:
            raise ZeroDivisionError(f"division by zero: the divisor {self!r} is 0")
        return self._unary(other / self.data, -other / self.data**2, f"{_fmt(other)}÷")

    def __neg__(self):
        """Negation −u; local derivative −1."""
        return self._unary(-self.data, -1.0, "neg")

    def __pow__(self, exponent):
        """Power u**n for a constant number n; local derivative n·u**(n−1) (notebook 02)."""
        if isinstance(exponent, Value):
            raise TypeError("unsupported operand for **: the exponent must be a plain number, not a Value")
        n = self._other(exponent, "**")
        if self.data < 0 and not n.is_integer():
            raise ValueError(f"base must be non-negative for a fractional exponent {n:g}, got {self!r}")
        if self.data == 0 and n < 1 and n != 0:
            raise ValueError(f"base must be non-zero for the exponent {n:g} (infinite derivative), got {self!r}")
        local = 0.0 if n == 0 else n * self.data ** (n - 1)
        return self._unary(self.data**n, local, f"**{_fmt(n)}")

    def __rpow__(self, base):
        raise TypeError("unsupported operand for **: a Value as the exponent; use (Value * log(base)).exp()")

    # -- functions ---------------------------------------------------------------------------
    def exp(self):
        """Exponential e^u; local derivative e^u."""
        if self.data > 709.0:
            raise OverflowError(f"exp of {self!r} is too large for a float")
        result = math.exp(self.data)
        return self._unary(result, result, "exp")

    def log(self):
        """Natural logarithm log u (u > 0); local derivative 1/u."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive argument, got {self!r}")
        return self._unary(math.log(self.data), 1.0 / self.data, "log")

    def sigmoid(self):
        """Sigmoid y = f(z) = 1/(1 + e^(−z)), stable form; local derivative f(z)(1 − f(z)) (notebook 04)."""
        s = _sigmoid(self.data)
        return self._unary(s, s * (1.0 - s), "σ")

    def tanh(self):
        """tanh u; local derivative 1 − tanh(u)²."""
        t = math.tanh(self.data)
        return self._unary(t, 1.0 - t * t, "tanh")

    def relu(self):
        """ReLU max(0, u); local derivative 1 for u > 0, else 0 (0 at the kink)."""
        return self._unary(max(self.data, 0.0), 1.0 if self.data > 0 else 0.0, "relu")

    def softplus(self):
        """Softplus log(1 + e^u), stable form; local derivative sigmoid(u) (notebook 05)."""
        return self._unary(_softplus(self.data), _sigmoid(self.data), "softplus")

    # -- the backward pass ---------------------------------------------------------------------
    def backward(self):
        """Fill ``grad`` = ∂self/∂node for every node of the graph (notebook 02, backward pass).

        Every grad is reset first (the root's to 1), so calling it twice gives the same numbers.
        Then the nodes are visited in reversed topological order: a node's gradient is complete
        before it is passed on, and each use of an input *adds* its term of the chain rule.
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):  # every user of a node comes before the node itself
            for parent, local in zip(node.parents, node.local_derivatives):
                parent.grad += local * node.grad  # ∂self/∂parent += ∂node/∂parent · ∂self/∂node


def topological_order(root):
    """Every node of root's graph once, each after all of its parents (root last).

    Iterative depth-first search, so long chains do not hit Python's recursion limit.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    order, done, stack = [], set(), [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            if id(node) not in done:
                done.add(id(node))
                order.append(node)
            continue
        if id(node) in done:
            continue
        stack.append((node, True))
        for parent in reversed(node.parents):
            if id(parent) not in done:
                stack.append((parent, False))
    return order
