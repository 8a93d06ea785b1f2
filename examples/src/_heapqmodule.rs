//! `_heapq`, the C half of the standard library's `heapq` module, ported
//! to Rust from CPython 3.11's `Modules/_heapqmodule.c`.
//!
//! `heapq.py` imports `*` from `_heapq` (and the three `_max` helpers by
//! name), so when this module is importable as `_heapq` its functions
//! replace the Python ones. Every comparison calls `__lt__`, which may
//! raise, or mutate the heap: items are owned while they are compared, and
//! a change of size is an error, exactly where the C module reports one.
//! The book's "Porting _heapq" chapter walks through the port.

// ANCHOR: all
use tutorial::args::downcast_arg;
use tutorial::prelude::*;

// ANCHOR: order
/// Which way a heap is ordered: smallest first (`heapq`'s public
/// functions) or largest first (the `_max` helpers `heapq.merge` and
/// `heapq.nlargest` use).
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
    fn above(self, heap: &Bound<'_, PyList>, i: usize, j: usize) -> PyResult<bool> {
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
    heap: &Bound<'_, PyList>,
    start: usize,
    mut pos: usize,
    order: Order,
) -> PyResult<()> {
    let py = heap.py();
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
fn sift_up(heap: &Bound<'_, PyList>, mut pos: usize, order: Order) -> PyResult<()> {
    let py = heap.py();
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
    heap: &Bound<'py, PyList>,
    order: Order,
) -> PyResult<Bound<'py, PyAny>> {
    let Some(last) = heap.pop()? else {
        return Err(out_of_range(heap.py()));
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
    heap: &Bound<'py, PyList>,
    item: &Bound<'py, PyAny>,
    order: Order,
) -> PyResult<Bound<'py, PyAny>> {
    if heap.size() == 0 {
        return Err(out_of_range(heap.py()));
    }
    let top = heap.replace(0, item.clone_ref())?;
    sift_up(heap, 0, order)?;
    Ok(top)
}

/// `heapify` and `_heapify_max`.
fn heapify_in(heap: &Bound<'_, PyList>, order: Order) -> PyResult<()> {
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
fn heapify_by_subtrees(heap: &Bound<'_, PyList>, order: Order) -> PyResult<()> {
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
    let heap = downcast_arg::<PyList>(heap, "heappush", "argument 1")?;
    heap.append(item)?;
    sift_down(heap, 0, heap.size() - 1, Order::Min)
}

fn heappop<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    pop(downcast_arg::<PyList>(heap, "heappop", "argument")?, Order::Min)
}

fn heapreplace<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
    item: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    replace(
        downcast_arg::<PyList>(heap, "heapreplace", "argument 1")?,
        item,
        Order::Min,
    )
}

fn heappushpop<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
    item: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let heap = downcast_arg::<PyList>(heap, "heappushpop", "argument 1")?;
    if heap.size() == 0 {
        return Ok(item.clone_ref());
    }
    let top = heap.get(0).ok_or_else(|| out_of_range(heap.py()))?;
    // `top` is owned: `__lt__` may change the heap.
    let top_is_smaller = top.lt(item)?;
    drop(top);
    if !top_is_smaller {
        return Ok(item.clone_ref());
    }
    // `__lt__` may have emptied the heap.
    replace(heap, item, Order::Min)
}

fn heapify(_module: &Bound<'_, PyModule>, heap: &Bound<'_, PyAny>) -> PyResult<()> {
    heapify_in(downcast_arg::<PyList>(heap, "heapify", "argument")?, Order::Min)
}

fn _heappop_max<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    pop(downcast_arg::<PyList>(heap, "_heappop_max", "argument")?, Order::Max)
}

fn _heapify_max(
    _module: &Bound<'_, PyModule>,
    heap: &Bound<'_, PyAny>,
) -> PyResult<()> {
    heapify_in(
        downcast_arg::<PyList>(heap, "_heapify_max", "argument")?,
        Order::Max,
    )
}

fn _heapreplace_max<'py>(
    _module: &Bound<'py, PyModule>,
    heap: &Bound<'py, PyAny>,
    item: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    replace(
        downcast_arg::<PyList>(heap, "_heapreplace_max", "argument 1")?,
        item,
        Order::Max,
    )
}
// ANCHOR_END: functions

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
        tutorial::meth_o!(_heappop_max(heap), "Maxheap variant of heappop."),
        tutorial::meth_o!(_heapify_max(heap), "Maxheap variant of heapify."),
        tutorial::meth_fastcall_positional!(
            _heapreplace_max(heap, item),
            "Maxheap variant of heapreplace."
        ),
    ],
}
// ANCHOR_END: all

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
>>> m = [1, 5, 3]; _heapq._heapify_max(m); _heapq._heappop_max(m), _heapq._heapreplace_max(m, 0), m
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
