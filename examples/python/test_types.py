"""The five types of CPython's type tutorial, in Rust, from Python.

The checks follow the C tutorial's own examples: what each step's objects
do, what they refuse, and that cycles through Custom4 are collected.
"""

import gc
import sys
import sysconfig

import pytest

import custom
import custom2
import custom3
import custom4
import sublist

SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")


@pytest.mark.parametrize("module", [custom, custom2, custom3, custom4, sublist])
def test_each_module_is_the_rust_extension(module):
    assert module.__file__.endswith(SUFFIX)


def test_custom_is_a_heap_type_of_its_module():
    c = custom.Custom()
    assert type(c).__name__ == "Custom"
    assert type(c).__module__ == "custom"
    assert custom.Custom.__flags__ & (1 << 9)  # Py_TPFLAGS_HEAPTYPE
    assert custom.Custom.__doc__ == "Custom objects"


def test_custom_can_be_subclassed():
    class Sub(custom.Custom):
        def hello(self):
            return "hi"

    assert Sub().hello() == "hi"
    assert isinstance(Sub(), custom.Custom)


def test_custom2_init_attributes_and_name():
    c = custom2.Custom("Ada", "Lovelace", 36)
    assert (c.first, c.last, c.number) == ("Ada", "Lovelace", 36)
    assert c.name() == "Ada Lovelace"
    assert custom2.Custom().name() == " "
    c.first = 42  # custom2 accepts any object
    assert c.name() == "42 Lovelace"


def test_custom2_deleting_a_name_makes_it_missing():
    c = custom2.Custom("a", "b")
    del c.first
    with pytest.raises(AttributeError, match="'custom2.Custom' object has no attribute 'first'"):
        c.first
    with pytest.raises(AttributeError, match="^first$"):
        c.name()


def test_custom2_number_is_an_int_that_cannot_be_deleted():
    c = custom2.Custom()
    c.number = 7
    assert c.number == 7
    with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
        c.number = "7"
    with pytest.raises(TypeError, match="can't delete numeric/char attribute"):
        del c.number
    with pytest.raises(OverflowError):
        c.number = 2**40


def test_custom2_init_arguments_are_checked():
    with pytest.raises(TypeError, match=r"takes at most 3 arguments \(4 given\)"):
        custom2.Custom(1, 2, 3, 4)
    # The words are those of the interpreter's own argument parser.
    if sys.version_info >= (3, 13):
        unknown = r"__init__\(\) got an unexpected keyword argument 'middle'"
    else:
        unknown = r"'middle' is an invalid keyword argument for __init__\(\)"
    with pytest.raises(TypeError, match=unknown):
        custom2.Custom(middle="x")
    assert custom2.Custom(number=5).number == 5


def test_custom3_names_are_strings_and_cannot_be_deleted():
    c = custom3.Custom("Grace", "Hopper")
    with pytest.raises(TypeError, match="The first attribute value must be a string"):
        c.first = 1
    with pytest.raises(TypeError, match="Cannot delete the last attribute"):
        del c.last
    with pytest.raises(TypeError, match="The first attribute value must be a string"):
        custom3.Custom(first=b"x")
    assert c.name() == "Grace Hopper"


def test_custom4_takes_part_in_gc_and_its_cycles_are_collected():
    freed = []

    class Name(str):
        def __del__(self):
            freed.append(str(self))

    c = custom4.Custom(Name("Alan"), "Turing")
    c.first.owner = c  # a cycle: c -> c.first -> c
    assert gc.is_tracked(c)
    assert c.name() == "Alan Turing"
    del c
    assert freed == []  # reference counting alone cannot free a cycle
    gc.collect()
    assert freed == ["Alan"]


def test_custom4_objects_are_visited_by_the_collector():
    c = custom4.Custom("x", "y")
    referents = gc.get_referents(c)
    assert "x" in referents and "y" in referents
    assert type(c) in referents  # heap type instances visit their type


def test_sublist_is_a_list_with_a_counter():
    s = sublist.SubList(range(3))
    assert s == [0, 1, 2] and isinstance(s, list)
    assert s.increment() == 1
    assert s.increment() == 2
    assert s.state == 2
    s.append(4)
    assert len(s) == 4
    s.sort(reverse=True)
    assert s == [4, 2, 1, 0]


def test_sublist_cycles_are_collected():
    s = sublist.SubList()
    s.append(s)
    s.increment()
    ref = sublist.SubList([s])
    del s
    gc.collect()
    assert len(ref[0]) == 1


def test_each_module_object_has_its_own_types():
    import importlib.util

    spec = importlib.util.find_spec("custom2")
    again = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(again)
    assert again.Custom is not custom2.Custom
    assert not isinstance(again.Custom(), custom2.Custom)
