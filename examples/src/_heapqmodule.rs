//! `_heapq`, the C half of the standard library's `heapq` module, ported
//! to Rust from CPython's `Modules/_heapqmodule.c`, as each version from
//! 3.11 has it.
//!
//! `heapq.py` imports `*` from `_heapq` (and, up to 3.13, the three
//! private `_max` helpers by name; from 3.14 the max-heap functions are
//! public), so when this module is importable as `_heapq` its functions
//! replace the Python ones. Every comparison calls `__lt__`, which may
//! raise, or mutate the heap: items are owned while they are compared, and
//! a change of size is an error, exactly where the C module reports one.
//! The book's "Porting _heapq" chapter walks through the port.

// ANCHOR: all
use tutorial::args::downcast_arg;
use tutorial::prelude::*;
use tutorial::types::ListSection;

// ANCHOR: order
/// Which way a heap is ordered: smallest first (`heappush`, ...) or
/// largest first (the `_max` functions: private helpers of `heapq.merge`
/// and `heapq.nlargest` up to 3.13, public from 3.14).
#[derive(Clone, Copy)]
enum Order {
    Min,
    Max,
}

impl Order {
    /// Whether item `i` of the heap belongs above item `j`: `heap[i] <
    /// heap[j]` in a min-heap, `heap[j] < heap[i]` in a max-heap. Only `<`
    /// is ever called, as in C, on items owned for the comparison (which may
    /// change the heap) and released right after it.
    #[inline(always)]
    fn above(
        self,
        heap: &ListSection<'_, '_>,
        i: usize,
        j: usize,
    ) -> PyResult<bool> {
        match self {
            Order::Min => heap.lt_items(i, j),
            Order::Max => heap.lt_items(j, i),
        }
    }
}
// ANCHOR_END: order

fn changed_size(py: Python<'_>) -> PyErr {
    exceptions::RuntimeError::new_err(py, "list changed size during iteration")
}

fn out_of_range(py: Python<'_>) -> PyErr {
    exceptions::IndexError::new_err(py, "index out of range")
}

// ANCHOR: sift_down
/// Moves the item at `pos` towards the root (no higher than `start`) while
/// it belongs above its parent.
fn sift_down(
    heap: &ListSection<'_, '_>,
    start: usize,
    mut pos: usize,
    order: Order,
) -> PyResult<()> {
    let py = heap.list().py();
    let size = heap.size();
    if pos >= size {
        return Err(out_of_range(py));
    }
    while pos > start {
        let parent = (pos - 1) / 2;
        // The items are released before the size check, as in C: a
        // `__del__` that changes the list is caught by the check too.
        let above = order.above(heap, pos, parent)?;
        if heap.size() != size {
            return Err(changed_size(py));
        }
        if !above {
            break;
        }
        heap.swap(parent, pos)?;
        pos = parent;
    }
    Ok(())
}
// ANCHOR_END: sift_down

// ANCHOR: sift_up
/// Moves the item at `pos` down to a leaf, always into the child that
/// belongs higher, then back up to its place ([`sift_down`]): fewer
/// comparisons than stopping early, on the usual inputs.
fn sift_up(
    heap: &ListSection<'_, '_>,
    mut pos: usize,
    order: Order,
) -> PyResult<()> {
    let py = heap.list().py();
    let end = heap.size();
    let start = pos;
    if pos >= end {
        return Err(out_of_range(py));
    }
    let first_leaf = end / 2;
    while pos < first_leaf {
        let mut child = 2 * pos + 1;
        if child + 1 < end {
            let left_above = order.above(heap, child, child + 1)?;
            if !left_above {
                child += 1;
            }
            if heap.size() != end {
                return Err(changed_size(py));
            }
        }
        heap.swap(child, pos)?;
        pos = child;
    }
    sift_down(heap, start, pos, order)
}
// ANCHOR_END: sift_up

// ANCHOR: operations
/// `heappop` and `_heappop_max`: the last item replaces the top, which is
/// returned.
fn pop<'py>(
    heap: &ListSection<'_, 'py>,
    order: Order,
) -> PyResult<Bound<'py, PyAny>> {
    let Some(last) = heap.pop()? else {
        return Err(out_of_range(heap.list().py()));
    };
    if heap.size() == 0 {
        return Ok(last);
    }
    let top = heap.replace(0, last)?;
    sift_up(heap, 0, order)?;
    Ok(top)
}

/// `heapreplace` and `_heapreplace_max`: `item` replaces the top, which is
/// returned.
fn replace<'py>(
    heap: &ListSection<'_, 'py>,
    item: &Bound<'py, PyAny>,
    order: Order,
) -> PyResult<Bound<'py, PyAny>> {
    if heap.size() == 0 {
        return Err(out_of_range(heap.list().py()));
    }
    let top = heap.replace(0, item.clone_ref())?;
    sift_up(heap, 0, order)?;
    Ok(top)
}

/// `heapify` and `_heapify_max`.
fn heapify_in(heap: &ListSection<'_, '_>, order: Order) -> PyResult<()> {
    let n = heap.size();
    if n > 2500 {
        return heapify_by_subtrees(heap, order);
    }
    // Sift every node that has a child, from the last one back to the root.
    for i in (0..n / 2).rev() {
        sift_up(heap, i, order)?;
    }
    Ok(())
}

/// The same heap as [`heapify_in`]'s simple loop, with the same
/// comparisons in another order: each pair of sibling subtrees is followed
/// at once by their parent, while the children are still in the CPU's
/// cache. It pays off for lists larger than the cache.
fn heapify_by_subtrees(heap: &ListSection<'_, '_>, order: Order) -> PyResult<()> {
    let first_leaf = heap.size() / 2;
    // The leftmost node of the row that holds `first_leaf`.
    let row_start = (1 << (first_leaf + 1).ilog2()) - 1;
    let sift_with_parents = |mut j: usize| -> PyResult<()> {
        loop {
            sift_up(heap, j, order)?;
            if j % 2 == 0 {
                return Ok(());
            }
            j /= 2;
        }
    };
    for i in (first_leaf / 2..row_start).rev() {
        sift_with_parents(i)?;
    }
    for i in (row_start..first_leaf).rev() {
        sift_with_parents(i)?;
    }
    Ok(())
}
// ANCHOR_END: operations

// ANCHOR: functions
fn heappush(
    _module: &Bound<'_, PyModule>,
    heap: &Bound<'_, PyAny>,
    item: &Bound<'_, PyAny>,
) -> PyResult<()> {
    downcast_arg::<PyList>(heap, "heappush", "argument 1")?.locked(|heap| {
        heap.append(item)?;
        sift_down(heap, 0, heap.size() - 1, Order::Min)
    })
}

fn heappop<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    downcast_arg::<PyList>(heap, "heappop", "argument")?
        .locked(|heap| pop(heap, Order::Min))
}

fn heapreplace<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
    item: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    downcast_arg::<PyList>(heap, "heapreplace", "argument 1")?
        .locked(|heap| replace(heap, item, Order::Min))
}

fn heappushpop<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
    item: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    downcast_arg::<PyList>(heap, "heappushpop", "argument 1")?.locked(|heap| {
        if heap.size() == 0 {
            return Ok(item.clone_ref());
        }
        let top = heap.get(0).ok_or_else(|| out_of_range(heap.list().py()))?;
        // `top` is owned: `__lt__` may change the heap.
        let top_is_smaller = top.lt(item)?;
        drop(top);
        if !top_is_smaller {
            return Ok(item.clone_ref());
        }
        // `__lt__` may have emptied the heap.
        replace(heap, item, Order::Min)
    })
}

fn heapify(_module: &Bound<'_, PyModule>, heap: &Bound<'_, PyAny>) -> PyResult<()> {
    downcast_arg::<PyList>(heap, "heapify", "argument")?
        .locked(|heap| heapify_in(heap, Order::Min))
}

// ANCHOR: max_functions
// Up to 3.13 the C module has three private max-heap helpers; 3.14 made
// them public, under new names, and added `heappush_max` and
// `heappushpop_max`.
#[cfg(not(Py_3_14))]
fn _heappop_max<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    downcast_arg::<PyList>(heap, "_heappop_max", "argument")?
        .locked(|heap| pop(heap, Order::Max))
}

#[cfg(not(Py_3_14))]
fn _heapify_max(
    _module: &Bound<'_, PyModule>,
    heap: &Bound<'_, PyAny>,
) -> PyResult<()> {
    downcast_arg::<PyList>(heap, "_heapify_max", "argument")?
        .locked(|heap| heapify_in(heap, Order::Max))
}

#[cfg(not(Py_3_14))]
fn _heapreplace_max<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
    item: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    downcast_arg::<PyList>(heap, "_heapreplace_max", "argument 1")?
        .locked(|heap| replace(heap, item, Order::Max))
}

#[cfg(Py_3_14)]
fn heappush_max(
    _module: &Bound<'_, PyModule>,
    heap: &Bound<'_, PyAny>,
    item: &Bound<'_, PyAny>,
) -> PyResult<()> {
    downcast_arg::<PyList>(heap, "heappush_max", "argument 1")?.locked(|heap| {
        heap.append(item)?;
        sift_down(heap, 0, heap.size() - 1, Order::Max)
    })
}

#[cfg(Py_3_14)]
fn heappop_max<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    downcast_arg::<PyList>(heap, "heappop_max", "argument")?
        .locked(|heap| pop(heap, Order::Max))
}

#[cfg(Py_3_14)]
fn heapify_max(
    _module: &Bound<'_, PyModule>,
    heap: &Bound<'_, PyAny>,
) -> PyResult<()> {
    downcast_arg::<PyList>(heap, "heapify_max", "argument")?
        .locked(|heap| heapify_in(heap, Order::Max))
}

#[cfg(Py_3_14)]
fn heapreplace_max<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
    item: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    downcast_arg::<PyList>(heap, "heapreplace_max", "argument 1")?
        .locked(|heap| replace(heap, item, Order::Max))
}

/// `heappushpop` mirrored: the item goes in only if it is smaller than
/// the top (`item < heap[0]`, as `heapq.py`'s version compares).
#[cfg(Py_3_14)]
fn heappushpop_max<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
    item: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    downcast_arg::<PyList>(heap, "heappushpop_max", "argument 1")?.locked(|heap| {
        if heap.size() == 0 {
            return Ok(item.clone_ref());
        }
        let top = heap.get(0).ok_or_else(|| out_of_range(heap.list().py()))?;
        // `top` is owned: `__lt__` may change the heap.
        let item_is_smaller = item.lt(&top)?;
        drop(top);
        if !item_is_smaller {
            return Ok(item.clone_ref());
        }
        // `__lt__` may have emptied the heap.
        replace(heap, item, Order::Max)
    })
}
// ANCHOR_END: max_functions
// ANCHOR_END: functions

/// Sets `__about__`, as the C module's exec function does.
fn exec(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__about__", &PyStr::new(module.py(), ABOUT)?)
}

tutorial::module! {
    name: _heapq,
    doc: "Heap queue algorithm (a.k.a. priority queue).

Heaps are arrays for which a[k] <= a[2*k+1] and a[k] <= a[2*k+2] for
all k, counting elements from 0.  For the sake of comparison,
non-existing elements are considered to be infinite.  The interesting
property of a heap is that a[0] is always its smallest element.

Usage:

heap = []            # creates an empty heap
heappush(heap, item) # pushes a new item on the heap
item = heappop(heap) # pops the smallest item from the heap
item = heap[0]       # smallest item on the heap without popping it
heapify(x)           # transforms list into a heap, in-place, in linear time
item = heapreplace(heap, item) # pops and returns smallest item, and adds
                               # new item; the heap size is unchanged

Our API differs from textbook heap algorithms as follows:

- We use 0-based indexing.  This makes the relationship between the
  index for a node and the indexes for its children slightly less
  obvious, but is more suitable since Python uses 0-based indexing.

- Our heappop() method returns the smallest item, not the largest.

These two make it possible to view the heap as a regular Python list
without surprises: heap[0] is the smallest item, and heap.sort()
maintains the heap invariant!
",
    exec: exec,

    methods: [
        tutorial::meth_fastcall_positional!(
            heappush(heap, item),
            "Push item onto heap, maintaining the heap invariant."
        ),
        tutorial::meth_fastcall_positional!(
            heappushpop(heap, item),
            "\
Push item on the heap, then pop and return the smallest item from the heap.

The combined action runs more efficiently than heappush() followed by
a separate call to heappop()."
        ),
        tutorial::meth_o!(
            heappop(heap),
            "Pop the smallest item off the heap, maintaining the heap invariant."
        ),
        tutorial::meth_fastcall_positional!(
            heapreplace(heap, item),
            "Pop and return the current smallest value, and add the new item.

This is more efficient than heappop() followed by heappush(), and can be
more appropriate when using a fixed-size heap.  Note that the value
returned may be larger than item!  That constrains reasonable uses of
this routine unless written as part of a conditional replacement:

    if item > heap[0]:
        item = heapreplace(heap, item)"
        ),
        tutorial::meth_o!(
            heapify(heap),
            "Transform list into a heap, in-place, in O(len(heap)) time."
        ),
        #[cfg(not(Py_3_14))]
        tutorial::meth_o!(_heappop_max(heap), "Maxheap variant of heappop."),
        #[cfg(not(Py_3_14))]
        tutorial::meth_o!(_heapify_max(heap), "Maxheap variant of heapify."),
        #[cfg(not(Py_3_14))]
        tutorial::meth_fastcall_positional!(
            _heapreplace_max(heap, item),
            "Maxheap variant of heapreplace."
        ),
        #[cfg(Py_3_14)]
        tutorial::meth_fastcall_positional!(
            heappush_max(heap, item),
            "Push item onto max heap, maintaining the heap invariant."
        ),
        #[cfg(Py_3_14)]
        tutorial::meth_fastcall_positional!(
            heappushpop_max(heap, item),
            "Maxheap variant of heappushpop.

The combined action runs more efficiently than heappush_max()
followed by a separate call to heappop_max()."
        ),
        #[cfg(Py_3_14)]
        tutorial::meth_o!(heappop_max(heap), "Maxheap variant of heappop."),
        #[cfg(Py_3_14)]
        tutorial::meth_fastcall_positional!(
            heapreplace_max(heap, item),
            "Maxheap variant of heapreplace."
        ),
        #[cfg(Py_3_14)]
        tutorial::meth_o!(heapify_max(heap), "Maxheap variant of heapify."),
    ],
}
// ANCHOR_END: all

/// `__about__`'s quoting: 3.14 replaced the old `like this' quotes with
/// 'like this'.
#[cfg(not(Py_3_14))]
macro_rules! quoted {
    ($word:literal) => {
        concat!("`", $word, "'")
    };
}
#[cfg(Py_3_14)]
macro_rules! quoted {
    ($word:literal) => {
        concat!("'", $word, "'")
    };
}

/// `_heapq.__about__`: the C module's essay on heaps, by François Pinard,
/// word for word (`heapq.py` has a copy of its own).
const ABOUT: &str = concat!(
    "Heap queues

[explanation by François Pinard]

Heaps are arrays for which a[k] <= a[2*k+1] and a[k] <= a[2*k+2] for
all k, counting elements from 0.  For the sake of comparison,
non-existing elements are considered to be infinite.  The interesting
property of a heap is that a[0] is always its smallest element.

The strange invariant above is meant to be an efficient memory
representation for a tournament.  The numbers below are ",
    quoted!("k"),
    ", not a[k]:

                                   0

                  1                                 2

          3               4                5               6

      7       8       9       10      11      12      13      14

    15 16   17 18   19 20   21 22   23 24   25 26   27 28   29 30


In the tree above, each cell ",
    quoted!("k"),
    " is topping ",
    quoted!("2*k+1"),
    " and ",
    quoted!("2*k+2"),
    ".  In
a usual binary tournament we see in sports, each cell is the winner
over the two cells it tops, and we can trace the winner down the tree
to see all opponents s/he had.  However, in many computer applications
of such tournaments, we do not need to trace the history of a winner.
To be more memory efficient, when a winner is promoted, we try to
replace it by something else at a lower level, and the rule becomes
that a cell and the two cells it tops contain three different items,
but the top cell \"wins\" over the two topped cells.

If this heap invariant is protected at all time, index 0 is clearly
the overall winner.  The simplest algorithmic way to remove it and
find the \"next\" winner is to move some loser (let's say cell 30 in the
diagram above) into the 0 position, and then percolate this new 0 down
the tree, exchanging values, until the invariant is re-established.
This is clearly logarithmic on the total number of items in the tree.
By iterating over all items, you get an O(n ln n) sort.

A nice feature of this sort is that you can efficiently insert new
items while the sort is going on, provided that the inserted items are
not \"better\" than the last 0'th element you extracted.  This is
especially useful in simulation contexts, where the tree holds all
incoming events, and the \"win\" condition means the smallest scheduled
time.  When an event schedule other events for execution, they are
scheduled into the future, so they can easily go into the heap.  So, a
heap is a good structure for implementing schedulers (this is what I
used for my MIDI sequencer :-).

Various structures for implementing schedulers have been extensively
studied, and heaps are good for this, as they are reasonably speedy,
the speed is almost constant, and the worst case is not much different
than the average case.  However, there are other representations which
are more efficient overall, yet the worst cases might be terrible.

Heaps are also very useful in big disk sorts.  You most probably all
know that a big sort implies producing \"runs\" (which are pre-sorted
sequences, which size is usually related to the amount of CPU memory),
followed by a merging passes for these runs, which merging is often
very cleverly organised[1].  It is very important that the initial
sort produces the longest runs possible.  Tournaments are a good way
to that.  If, using all the memory available to hold a tournament, you
replace and percolate items that happen to fit the current run, you'll
produce runs which are twice the size of the memory for random input,
and much better for input fuzzily ordered.

Moreover, if you output the 0'th item on disk and get an input which
may not fit in the current tournament (because the value \"wins\" over
the last output value), it cannot fit in the heap, so the size of the
heap decreases.  The freed memory could be cleverly reused immediately
for progressively building a second heap, which grows at exactly the
same rate the first heap is melting.  When the first heap completely
vanishes, you switch heaps and start a new run.  Clever and quite
effective!

In a word, heaps are useful memory structures to know.  I use them in
a few applications, and I think it is good to keep a ",
    quoted!("heap"),
    " module
around. :-)

--------------------
[1] The disk balancing algorithms which are current, nowadays, are
more annoying than clever, and this is a consequence of the seeking
capabilities of the disks.  On devices which cannot seek, like big
tape drives, the story was quite different, and one had to be very
clever to ensure (far in advance) that each tape movement will be the
most effective possible (that is, will best participate at
\"progressing\" the merge).  Some tapes were even able to read
backwards, and this was also used to avoid the rewinding time.
Believe me, real good tape sorts were quite spectacular to watch!
From all times, sorting has always been a Great Art! :-)
"
);

#[cfg(test)]
mod tests {
    use tutorial_embed::doctest;

    #[test]
    fn the_heap_functions_keep_the_heap_invariant() {
        doctest(
            &[("_heapq", super::_heapq::init)],
            r#"
>>> import _heapq
>>> h = []
>>> for x in [5, 1, 4, 2, 3]:
...     _heapq.heappush(h, x)
>>> [_heapq.heappop(h) for _ in range(5)]
[1, 2, 3, 4, 5]
>>> h = [9, 8, 7, 6, 5, 4, 3]; _heapq.heapify(h); h[0]
3
>>> _heapq.heapreplace(h, 10), _heapq.heappushpop(h, 1), h[0]
(3, 1, 4)
>>> big = list(range(3000, 0, -1)); _heapq.heapify(big); big[0], sorted(big) == list(range(1, 3001))
(1, True)
>>> mx = lambda f: getattr(_heapq, f, None) or getattr(_heapq, "_" + f)  # 3.14 or before
>>> m = [1, 5, 3]; mx("heapify_max")(m); mx("heappop_max")(m), mx("heapreplace_max")(m, 0), m
(5, 3, [1, 0])
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }

    #[test]
    fn errors_match_the_c_module() {
        doctest(
            &[("_heapq", super::_heapq::init)],
            r#"
>>> import _heapq
>>> _heapq.heappop([])
Traceback (most recent call last):
  ...
IndexError: index out of range
>>> _heapq.heappush((), 1)
Traceback (most recent call last):
  ...
TypeError: heappush() argument 1 must be list, not tuple
>>> _heapq.heapify(None)
Traceback (most recent call last):
  ...
TypeError: heapify() argument must be list, not None
>>> _heapq.heappush([])
Traceback (most recent call last):
  ...
TypeError: heappush expected 2 arguments, got 1
>>> _heapq.heappush(heap=[], item=1)
Traceback (most recent call last):
  ...
TypeError: _heapq.heappush() takes no keyword arguments
>>> class Shrinks:
...     def __init__(self, heap): self.heap = heap
...     def __lt__(self, other):
...         self.heap.clear()
...         return True
>>> h = []; h.extend([Shrinks(h), Shrinks(h), Shrinks(h)])
>>> _heapq.heapify(h)
Traceback (most recent call last):
  ...
RuntimeError: list changed size during iteration
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }
}
