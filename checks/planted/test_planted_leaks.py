"""Leaks that the refleak hunter must find: the hunter's own test.

These tests fail on purpose. `cargo xtask test` runs them under
``--refleak`` and checks that exactly the two leaking ones are reported,
with libregrtest's figures; the third, which leaks nothing, must pass.
"""

import planted


def test_leaks_one_reference_per_call():
    planted.leak_reference(object())


def test_leaks_one_list_per_call():
    planted.leak_list()


def test_leaks_nothing():
    planted.already_set.__doc__
