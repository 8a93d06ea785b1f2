//! `stats`: running statistics over any iterable of numbers, the module
//! the book's "Your own module" chapter builds from an empty file.
//!
//! `stats.Running` is a type whose objects accumulate a count, a mean and a
//! variance one value at a time (Welford's method, weighted as West gives
//! it: no sum of squares, so no catastrophic cancellation), with a method
//! that takes arguments (`add(x, weight=1.0)`), one that takes any iterable
//! (`update(data)`), and read-only attributes. `stats.mean(data)` is a
//! module function over any iterable.

use tutorial::class::{Class, ObjectBase, PyClass, TypeState, add_type};
use tutorial::prelude::*;

// ANCHOR: value
/// The Rust value inside each `stats.Running` object.
pub struct Running {
    /// How many values were added.
    count: usize,
    /// The sum of their weights.
    weight: f64,
    /// Their weighted mean.
    mean: f64,
    /// The weighted sum of squared distances from the mean.
    m2: f64,
}

impl PyClass for Running {
    type Base = ObjectBase;

    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Running { count: 0, weight: 0.0, mean: 0.0, m2: 0.0 })
    }
}

impl Running {
    /// Adds `x` with weight `weight` (positive and finite, checked by the
    /// caller).
    fn push(&mut self, x: f64, weight: f64) {
        self.count += 1;
        self.weight += weight;
        let delta = x - self.mean;
        self.mean += delta * weight / self.weight;
        self.m2 += weight * delta * (x - self.mean);
    }
}
// ANCHOR_END: value

// ANCHOR: methods
/// `add(x, weight=1.0)`: one value, as `float(x)` would convert it.
fn add(slf: &Bound<'_, Class<Running>>, x: f64, weight: f64) -> PyResult<()> {
    if !(weight > 0.0 && weight.is_finite()) {
        let msg = format!("weight must be positive and finite, not {weight}");
        return Err(exceptions::ValueError::new_err(slf.py(), &msg));
    }
    slf.with_mut(|this| this.push(x, weight))
}

/// `update(data, /)`: every value of any iterable, with weight 1.
fn update(
    slf: &Bound<'_, Class<Running>>,
    data: &Bound<'_, PyAny>,
) -> PyResult<()> {
    for item in data.iter()? {
        // Converted before the borrow: `float(item)` may run Python code
        // (`__float__`), which may look at this very object.
        let x: f64 = item?.extract()?;
        slf.with_mut(|this| this.push(x, 1.0))?;
        // An iterator written in C (`itertools.count()`) runs no bytecode,
        // so nothing else would notice Ctrl-C.
        slf.py().check_signals()?;
    }
    Ok(())
}

/// `mean`: the weighted mean, or NaN before the first value.
fn get_mean(slf: &Bound<'_, Class<Running>>) -> PyResult<f64> {
    slf.with(|this| if this.count == 0 { f64::NAN } else { this.mean })
}

/// `variance`: the weighted population variance, or NaN before the first
/// value.
fn get_variance(slf: &Bound<'_, Class<Running>>) -> PyResult<f64> {
    slf.with(|this| if this.count == 0 { f64::NAN } else { this.m2 / this.weight })
}

/// `count`: how many values were added.
fn get_count(slf: &Bound<'_, Class<Running>>) -> PyResult<usize> {
    slf.with(|this| this.count)
}

/// `Running(data=None)`: `update(data)` when given.
fn init(
    slf: &Bound<'_, Class<Running>>,
    data: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    match data {
        Some(data) if !data.is_none() => update(slf, data),
        _ => Ok(()),
    }
}

tutorial::class! {
    type: Running,
    name: "stats.Running",
    doc: "Running count, mean and variance of the values added.",
    init: init(data = None),
    methods: [
        add(x, weight = 1.0): "Add x, counted weight times.",
        update(data, /): "Add every value of the iterable data.",
    ],
    getset: [
        count: { get: get_count, doc: "how many values were added" },
        mean: { get: get_mean, doc: "their weighted mean (NaN if none)" },
        variance: { get: get_variance, doc: "their population variance" },
    ],
}
// ANCHOR_END: methods

// ANCHOR: module
/// `stats.mean(data, /)`: the mean of any iterable of numbers.
///
/// # Errors
///
/// `ValueError` if `data` is empty; what iterating or `float()` raises.
fn mean(module: &Bound<'_, PyModule>, data: &Bound<'_, PyAny>) -> PyResult<f64> {
    let mut running = Running::new(module.py())?;
    for item in data.iter()? {
        running.push(item?.extract()?, 1.0);
        module.py().check_signals()?;
    }
    if running.count == 0 {
        let msg = "mean requires at least one data point";
        return Err(exceptions::ValueError::new_err(module.py(), msg));
    }
    Ok(running.mean)
}

fn exec(module: &Bound<'_, PyModule>) -> PyResult<TypeState> {
    add_type::<Running>(module, "Running")
}

tutorial::module! {
    name: stats,
    doc: "Running statistics over any iterable of numbers.",
    state: TypeState,
    exec: exec,
    methods: [tutorial::meth_o!(mean(data), "Return the mean of data.")],
}
// ANCHOR_END: module

#[cfg(test)]
mod tests {
    #[test]
    fn wrong_values_and_iterables_raise_what_python_raises() {
        tutorial_embed::doctest(
            &[("stats", super::stats::init)],
            r#"
>>> import stats
>>> r = stats.Running([1.5, True])
>>> r.count, r.mean
(2, 1.25)
>>> del r.count
Traceback (most recent call last):
  ...
AttributeError: attribute 'count' of 'stats.Running' objects is not writable
>>> r.add("3")
Traceback (most recent call last):
  ...
TypeError: must be real number, not str
>>> r.add(1, weight=0)
Traceback (most recent call last):
  ...
ValueError: weight must be positive and finite, not 0
>>> stats.mean([])
Traceback (most recent call last):
  ...
ValueError: mean requires at least one data point
>>> stats.mean(3)
Traceback (most recent call last):
  ...
TypeError: 'int' object is not iterable
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }
}
