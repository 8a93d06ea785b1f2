"""stats.Running and stats.mean from Python: the results against the
standard library's statistics module, and the errors a caller sees."""

import itertools
import math
import signal
import statistics
import sysconfig
from fractions import Fraction

import pytest

import stats


def test_stats_is_the_rust_extension():
    assert stats.__file__.endswith(sysconfig.get_config_var("EXT_SUFFIX"))


@pytest.mark.parametrize(
    "data",
    [[1.0], [2, 4, 4, 4, 5, 5, 7, 9], list(range(-50, 1000, 7)), [1e9 + 0.5, 1e9 + 1.5, 1e9 + 2.5]],
)
def test_running_agrees_with_statistics(data):
    r = stats.Running(data)
    assert r.count == len(data)
    assert math.isclose(r.mean, statistics.fmean(data))
    assert math.isclose(r.variance, statistics.pvariance(data), abs_tol=1e-9)
    assert math.isclose(stats.mean(iter(data)), statistics.fmean(data))


def test_a_weight_counts_as_repeated_values():
    weighted, repeated = stats.Running(), stats.Running([3, 3, 3, 10])
    weighted.add(3, weight=3)
    weighted.add(10)
    assert (weighted.mean, weighted.variance) == pytest.approx((repeated.mean, repeated.variance))
    assert weighted.count == 2


def test_update_takes_any_iterable_of_real_numbers():
    r = stats.Running()
    r.update({1: "a", 2: "b"})
    r.update(x for x in (Fraction(1, 2), True))
    assert r.count == 4
    assert r.mean == pytest.approx(4.5 / 4)


def test_the_attributes_are_read_only():
    r = stats.Running()
    for name in ("count", "mean", "variance"):
        with pytest.raises(AttributeError):
            setattr(r, name, 1)
    assert math.isnan(r.mean) and math.isnan(r.variance)


@pytest.mark.parametrize("weight", [0, -1, math.inf, math.nan])
def test_a_weight_must_be_positive_and_finite(weight):
    r = stats.Running([1])
    with pytest.raises(ValueError, match="weight must be positive and finite"):
        r.add(1, weight)
    assert r.count == 1


def test_an_error_in_the_iterable_reaches_the_caller_and_keeps_the_values_before_it():
    def data():
        yield 1
        raise KeyError("boom")

    r = stats.Running()
    with pytest.raises(KeyError, match="boom"):
        r.update(data())
    assert r.count == 1
    with pytest.raises(TypeError, match="must be real number, not str"):
        stats.mean([1, "2"])
    with pytest.raises(ValueError, match="at least one data point"):
        stats.mean(())


def test_a_float_conversion_that_looks_at_the_object_does_not_conflict():
    r = stats.Running()

    class Peek:
        def __float__(self):
            return float(r.count)

    r.update([5, Peek(), Peek()])
    assert r.count == 3 and r.mean == pytest.approx((5 + 1 + 2) / 3)


@pytest.mark.parametrize("consume", [stats.Running().update, stats.mean])
def test_an_endless_iterator_written_in_c_can_be_interrupted(consume):
    def on_alarm(signum, frame):
        raise TimeoutError("interrupted")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with pytest.raises(TimeoutError, match="interrupted"):
            consume(itertools.count())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
