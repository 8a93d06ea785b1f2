//! Hand-written parts of `Include/object.h`: the reference-counting and type
//! macros and static inline functions, and the singletons.
//!
//! The C versions are `static inline` functions (or macros over them), which
//! bindgen does not translate. Re-implementing them in Rust lets them inline
//! into Rust callers, as they do into C callers.
//!
//! At the end, typed wrappers of `PyType_GetSlot` for the slots (from
//! `Include/typeslots.h`) that Rust code reads.

#[cfg(not(Py_GIL_DISABLED))]
use crate::bindings::_Py_Dealloc;
use crate::bindings::{Py_ssize_t, PyObject, PyTypeObject, PyVarObject};
use core::ffi::c_ulong;
#[cfg(not(Py_GIL_DISABLED))]
use core::ptr::addr_of_mut;

// The hand-written reference counting follows the 64-bit, little-endian
// layout of the headers (`ob_refcnt_split[PY_BIG_ENDIAN]` on 3.12 and 3.13,
// the `ob_refcnt`/`ob_overflow`/`ob_flags` struct from 3.14); the 32-bit
// immortality scheme is different. Refuse other targets in one line rather
// than miscount there.
#[cfg(not(all(target_pointer_width = "64", target_endian = "little")))]
compile_error!(
    "cpython-sys: only 64-bit little-endian targets are supported (the \
     reference-counting code follows that layout of Include/object.h)"
);

/// A pointer to `op->ob_refcnt` on 3.11: the whole word.
///
/// # Safety
///
/// `op` must point to a live object.
#[cfg(not(Py_3_12))]
#[inline(always)]
unsafe fn refcnt_ptr(op: *mut PyObject) -> *mut Py_ssize_t {
    // SAFETY: the caller guarantees `op` points to a live object; taking a
    // field's address creates no reference.
    unsafe { addr_of_mut!((*op).ob_refcnt) }
}

/// A pointer to the low 32 bits of the count on 3.12 and later, the part
/// `Py_INCREF` and `Py_DECREF` change: `ob_refcnt_split[0]` of the union on
/// 3.12 and 3.13, the `uint32_t ob_refcnt` member from 3.14.
///
/// # Safety
///
/// `op` must point to a live object.
#[cfg(all(Py_3_12, not(Py_GIL_DISABLED)))]
#[inline(always)]
unsafe fn refcnt_low(op: *mut PyObject) -> *mut u32 {
    // SAFETY: the caller guarantees `op` points to a live object; taking a
    // field's address creates no reference. On 3.12/3.13 the word's first
    // four bytes are its low half (little-endian, checked above).
    #[cfg(not(Py_3_14))]
    unsafe {
        addr_of_mut!((*op).__bindgen_anon_1.ob_refcnt).cast::<u32>()
    }
    // SAFETY: as above; from 3.14 the member is a `uint32_t` inside an
    // anonymous struct inside an anonymous union.
    #[cfg(Py_3_14)]
    unsafe {
        addr_of_mut!((*op).__bindgen_anon_1.__bindgen_anon_1.ob_refcnt)
    }
}

/// The whole count word on 3.12 and later (`ob_refcnt` on 3.12/3.13,
/// `ob_refcnt_full` from 3.14): what `Py_REFCNT` returns and the debug
/// build's `Py_DECREF` checks.
///
/// # Safety
///
/// `op` must point to a live object.
#[cfg(all(Py_3_12, not(Py_GIL_DISABLED), any(Py_REF_DEBUG, not(Py_3_14))))]
#[inline(always)]
unsafe fn refcnt_full(op: *mut PyObject) -> i64 {
    // SAFETY: `op` is live (caller's contract).
    #[cfg(not(Py_3_14))]
    unsafe {
        (*op).__bindgen_anon_1.ob_refcnt as i64
    }
    // SAFETY: as above.
    #[cfg(Py_3_14)]
    unsafe {
        (*op).__bindgen_anon_1.ob_refcnt_full
    }
}

/// From 3.14, `Py_INCREF` leaves a count at or above this alone
/// (`_Py_IMMORTAL_INITIAL_REFCNT`, `Include/refcount.h`, 64-bit).
#[cfg(all(Py_3_14, not(Py_GIL_DISABLED)))]
const _Py_IMMORTAL_INITIAL_REFCNT: u32 = 3 << 30;

/// `_Py_IsImmortal(op)` (3.12+, `Include/object.h`): true for objects whose
/// reference count is never changed (`None`, small ints, interned strings).
///
/// On 3.11 nothing is immortal, so this is always false.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn _Py_IsImmortal(op: *mut PyObject) -> bool {
    #[cfg(all(Py_3_12, not(Py_GIL_DISABLED)))]
    {
        // SAFETY: `op` is live (caller's contract). On 64-bit builds the low
        // 32 bits of the count are negative as an i32 exactly for immortals.
        unsafe { (*refcnt_low(op) as i32) < 0 }
    }
    #[cfg(Py_GIL_DISABLED)]
    {
        // SAFETY: `op` is live (caller's contract); the field is read
        // atomically, as the C does with _Py_atomic_load_uint32_relaxed.
        unsafe {
            core::sync::atomic::AtomicU32::from_ptr(core::ptr::addr_of_mut!(
                (*op).ob_ref_local
            ))
            .load(core::sync::atomic::Ordering::Relaxed)
                == u32::MAX
        }
    }
    #[cfg(not(Py_3_12))]
    {
        let _ = op;
        false
    }
}

/// `_Py_ThreadId()` (free-threaded builds, `Include/object.h`): the
/// calling thread's id as biased reference counting stores it in `ob_tid`,
/// the thread pointer (on x86-64 Linux the word at `%fs:0`).
///
/// Written for x86-64 Linux only (the build script sets
/// `free_threaded_fast_path` there); elsewhere `Py_INCREF` and `Py_DECREF`
/// call the exported `Py_IncRef`/`Py_DecRef`.
#[cfg(free_threaded_fast_path)]
#[inline(always)]
pub fn _Py_ThreadId() -> usize {
    let tid: usize;
    // SAFETY: reads the thread control block's self pointer, as the C
    // header's `movq %fs:0` does; the word is always mapped and nothing is
    // written.
    unsafe {
        core::arch::asm!(
            "mov {}, qword ptr fs:[0]",
            out(reg) tid,
            options(nostack, readonly, preserves_flags)
        );
    }
    tid
}

/// `_Py_IsOwnedByCurrentThread(op)` (free-threaded builds): whether the
/// calling thread owns the object's local reference count.
///
/// # Safety
///
/// `op` must point to a live object.
#[cfg(free_threaded_fast_path)]
#[inline(always)]
pub unsafe fn _Py_IsOwnedByCurrentThread(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract). Read atomically (the C does
    // so under ThreadSanitizer): the collector may write the field.
    let tid = unsafe {
        core::sync::atomic::AtomicUsize::from_ptr(&raw mut (*op).ob_tid)
            .load(core::sync::atomic::Ordering::Relaxed)
    };
    tid == _Py_ThreadId()
}

/// `Py_INCREF(op)`: take a new strong reference to `op`.
///
/// # Safety
///
/// `op` must point to a live object, and the calling thread must be attached
/// to the interpreter (hold the GIL).
#[inline(always)]
pub unsafe fn Py_INCREF(op: *mut PyObject) {
    #[cfg(all(Py_GIL_DISABLED, not(free_threaded_fast_path)))]
    {
        // No fast path for this build (see `_Py_ThreadId`): call the
        // exported function, which is correct by construction.
        // SAFETY: the caller's contract is the function's.
        unsafe { crate::bindings::Py_IncRef(op) }
    }
    #[cfg(free_threaded_fast_path)]
    {
        use core::sync::atomic::{AtomicIsize, AtomicU32, Ordering};
        // Biased reference counting (PEP 703): the owning thread changes
        // `ob_ref_local` alone; any other thread adds to `ob_ref_shared`
        // atomically, in units of 1 << _Py_REF_SHARED_SHIFT.
        // SAFETY: `op` is live (caller's contract); the fields are accessed
        // atomically, as the C does.
        unsafe {
            let local = AtomicU32::from_ptr(&raw mut (*op).ob_ref_local);
            let new = local.load(Ordering::Relaxed).wrapping_add(1);
            if new == 0 {
                // The count was _Py_IMMORTAL_REFCNT_LOCAL: immortal.
                return;
            }
            if _Py_IsOwnedByCurrentThread(op) {
                local.store(new, Ordering::Relaxed);
            } else {
                AtomicIsize::from_ptr(&raw mut (*op).ob_ref_shared)
                    .fetch_add(1 << 2, Ordering::SeqCst);
            }
        }
    }
    #[cfg(not(Py_GIL_DISABLED))]
    {
        // SAFETY: `op` is live and the thread is attached (caller's contract),
        // so no other thread touches the count.
        unsafe {
            #[cfg(all(Py_3_12, not(Py_3_14)))]
            {
                // 3.12 and 3.13 on 64-bit: increment the low 32 bits; an
                // immortal object's count (u32::MAX) would wrap to 0 and is
                // left alone.
                let low = refcnt_low(op);
                let new = (*low).wrapping_add(1);
                if new == 0 {
                    return;
                }
                *low = new;
            }
            #[cfg(Py_3_14)]
            {
                // 3.14+: a count that reached _Py_IMMORTAL_INITIAL_REFCNT
                // stays there; between 2**31 and that the object is already
                // immortal but still counted up (saturating), and a debug
                // build does not add it to the total.
                let low = refcnt_low(op);
                if *low >= _Py_IMMORTAL_INITIAL_REFCNT {
                    return;
                }
                *low += 1;
                #[cfg(Py_REF_DEBUG)]
                if !_Py_IsImmortal(op) {
                    crate::bindings::_Py_INCREF_IncRefTotal();
                }
            }
            #[cfg(not(Py_3_12))]
            {
                *refcnt_ptr(op) += 1;
            }
            #[cfg(all(Py_REF_DEBUG, not(Py_3_12)))]
            {
                crate::bindings::_Py_RefTotal += 1;
            }
            #[cfg(all(Py_REF_DEBUG, Py_3_12, not(Py_3_14)))]
            crate::bindings::_Py_INCREF_IncRefTotal();
        }
    }
}

/// `Py_DECREF(op)`: release a strong reference, deallocating at zero.
///
/// On a debug interpreter (`Py_REF_DEBUG`), a count that goes negative is
/// reported by `_Py_NegativeRefcount` with the Rust caller's line, as the C
/// macro reports `__FILE__` and `__LINE__`.
///
/// # Safety
///
/// `op` must point to a live object whose reference the caller owns, and the
/// calling thread must be attached. The caller must not use that reference
/// again.
#[inline(always)]
#[track_caller]
pub unsafe fn Py_DECREF(op: *mut PyObject) {
    #[cfg(all(Py_GIL_DISABLED, not(free_threaded_fast_path)))]
    {
        // See Py_INCREF.
        // SAFETY: the caller's contract is the function's.
        unsafe { crate::bindings::Py_DecRef(op) }
    }
    #[cfg(free_threaded_fast_path)]
    {
        use core::sync::atomic::{AtomicU32, Ordering};
        // SAFETY: `op` is live and the reference the caller's (contract).
        // The owner decrements its local count and, at zero, lets CPython
        // merge the two counts (deallocating if the shared one is zero
        // too); another thread hands the decrement to CPython, which
        // queues or applies it to the shared count.
        unsafe {
            let local = AtomicU32::from_ptr(&raw mut (*op).ob_ref_local);
            let count = local.load(Ordering::Relaxed);
            if count == u32::MAX {
                return;
            }
            if _Py_IsOwnedByCurrentThread(op) {
                local.store(count - 1, Ordering::Relaxed);
                if count - 1 == 0 {
                    crate::bindings::_Py_MergeZeroLocalRefcount(op);
                }
            } else {
                crate::bindings::_Py_DecRefShared(op);
            }
        }
    }
    #[cfg(not(Py_GIL_DISABLED))]
    {
        #[cfg(Py_REF_DEBUG)]
        let line = core::panic::Location::caller().line() as core::ffi::c_int;
        // SAFETY: `op` is live, owned by the caller, and the thread is
        // attached (caller's contract); at zero nobody else holds it, so
        // deallocating is correct.
        #[cfg(not(Py_3_12))]
        unsafe {
            let cnt = refcnt_ptr(op);
            #[cfg(Py_REF_DEBUG)]
            {
                crate::bindings::_Py_RefTotal -= 1;
            }
            *cnt -= 1;
            if *cnt == 0 {
                _Py_Dealloc(op);
            } else {
                #[cfg(Py_REF_DEBUG)]
                if *cnt < 0 {
                    crate::bindings::_Py_NegativeRefcount(
                        c"<Rust>".as_ptr(),
                        line,
                        op,
                    );
                }
            }
        }
        // SAFETY: as above.
        #[cfg(Py_3_12)]
        unsafe {
            // The debug build's check for a freed or corrupt object: 3.12
            // and 3.13 test the whole word; 3.14 also a low half within
            // 2**20 of wrapping.
            #[cfg(all(Py_REF_DEBUG, not(Py_3_14)))]
            if refcnt_full(op) <= 0 {
                crate::bindings::_Py_NegativeRefcount(c"<Rust>".as_ptr(), line, op);
            }
            #[cfg(all(Py_REF_DEBUG, Py_3_14))]
            if refcnt_full(op) <= 0 || *refcnt_low(op) > u32::MAX - (1 << 20) {
                crate::bindings::_Py_NegativeRefcount(c"<Rust>".as_ptr(), line, op);
            }
            if _Py_IsImmortal(op) {
                return;
            }
            #[cfg(Py_REF_DEBUG)]
            crate::bindings::_Py_DECREF_DecRefTotal();
            // A mortal object's count fits in the low half (the high half is
            // zero on 3.12/3.13, flags on 3.14+), so C's `--op->ob_refcnt`
            // is a decrement of the low half.
            let low = refcnt_low(op);
            *low -= 1;
            if *low == 0 {
                _Py_Dealloc(op);
            }
        }
    }
}

/// `Py_XINCREF(op)`: [`Py_INCREF`] unless `op` is NULL.
///
/// # Safety
///
/// `op` must be NULL or meet [`Py_INCREF`]'s contract.
#[inline(always)]
pub unsafe fn Py_XINCREF(op: *mut PyObject) {
    if !op.is_null() {
        // SAFETY: not NULL, so the caller's contract is Py_INCREF's.
        unsafe { Py_INCREF(op) }
    }
}

/// `Py_XDECREF(op)`: [`Py_DECREF`] unless `op` is NULL.
///
/// # Safety
///
/// `op` must be NULL or meet [`Py_DECREF`]'s contract.
#[inline(always)]
#[track_caller]
pub unsafe fn Py_XDECREF(op: *mut PyObject) {
    if !op.is_null() {
        // SAFETY: not NULL, so the caller's contract is Py_DECREF's.
        unsafe { Py_DECREF(op) }
    }
}

/// `Py_REFCNT(op)`: the reference count, as C code reads it.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn Py_REFCNT(op: *mut PyObject) -> Py_ssize_t {
    #[cfg(Py_GIL_DISABLED)]
    {
        use core::sync::atomic::{AtomicIsize, AtomicU32, Ordering::Relaxed};
        // SAFETY: `op` is live (caller's contract); both fields are read
        // atomically, as the C does with _Py_atomic_load_*_relaxed.
        let (local, shared) = unsafe {
            (
                AtomicU32::from_ptr(&raw mut (*op).ob_ref_local).load(Relaxed),
                AtomicIsize::from_ptr(&raw mut (*op).ob_ref_shared).load(Relaxed),
            )
        };
        if local == u32::MAX {
            // _Py_IMMORTAL_REFCNT (3.13) or _Py_IMMORTAL_INITIAL_REFCNT (3.14+).
            return if cfg!(Py_3_14) { 3 << 30 } else { u32::MAX as Py_ssize_t };
        }
        // The shared count's two low bits are flags (_Py_REF_SHARED_SHIFT).
        local as Py_ssize_t + (shared >> 2)
    }
    // SAFETY: `op` is live (caller's contract).
    #[cfg(not(Py_3_12))]
    unsafe {
        *refcnt_ptr(op)
    }
    // SAFETY: as above. 3.12 and 3.13 return the whole word; 3.14+ the
    // `uint32_t` member, so an immortal's flags in the high half do not show.
    #[cfg(all(Py_3_12, not(Py_GIL_DISABLED)))]
    unsafe {
        #[cfg(not(Py_3_14))]
        {
            refcnt_full(op) as Py_ssize_t
        }
        #[cfg(Py_3_14)]
        {
            *refcnt_low(op) as Py_ssize_t
        }
    }
}

// ANCHOR: py_type
/// `Py_TYPE(op)`: the object's type (a borrowed reference).
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn Py_TYPE(op: *mut PyObject) -> *mut PyTypeObject {
    // SAFETY: `op` is live (caller's contract).
    unsafe { (*op).ob_type }
}
// ANCHOR_END: py_type

/// `Py_IS_TYPE(op, type)`: whether the object's type is exactly `type`.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn Py_IS_TYPE(op: *mut PyObject, ty: *mut PyTypeObject) -> bool {
    // SAFETY: `op` is live (caller's contract).
    unsafe { Py_TYPE(op) == ty }
}

/// `Py_SIZE(op)`: `ob_size` of a variable-size object.
///
/// # Safety
///
/// `op` must point to a live object whose type has a `PyVarObject` header.
#[inline(always)]
pub unsafe fn Py_SIZE(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: the object starts with a PyVarObject header (caller's contract).
    unsafe { (*op.cast::<PyVarObject>()).ob_size }
}

/// `Py_None` (`&_Py_NoneStruct`): the `None` singleton, a borrowed reference.
#[inline(always)]
pub fn Py_None() -> *mut PyObject {
    // Taking the address of an extern static is safe; nothing is read.
    &raw mut crate::bindings::_Py_NoneStruct
}

/// `Py_NotImplemented` (`&_Py_NotImplementedStruct`), a borrowed reference.
#[inline(always)]
pub fn Py_NotImplemented() -> *mut PyObject {
    // Taking the address of an extern static is safe; nothing is read.
    &raw mut crate::bindings::_Py_NotImplementedStruct
}

/// `PyObject_HEAD_INIT(type)`: the header of a statically allocated object.
///
/// Before 3.13 the count starts at 1; from 3.13 every statically allocated
/// object is immortal (`_Py_IMMORTAL_REFCNT`).
pub const fn PyObject_HEAD_INIT(ty: *mut PyTypeObject) -> PyObject {
    #[cfg(not(Py_3_12))]
    {
        PyObject { ob_refcnt: 1, ob_type: ty }
    }
    #[cfg(all(Py_3_12, not(Py_3_13)))]
    {
        PyObject {
            __bindgen_anon_1: crate::bindings::_object__bindgen_ty_1 {
                ob_refcnt: 1,
            },
            ob_type: ty,
        }
    }
    #[cfg(all(Py_3_13, not(Py_3_14), not(Py_GIL_DISABLED)))]
    {
        PyObject {
            __bindgen_anon_1: crate::bindings::_object__bindgen_ty_1 {
                ob_refcnt: u32::MAX as Py_ssize_t,
            },
            ob_type: ty,
        }
    }
    #[cfg(all(Py_3_14, not(Py_GIL_DISABLED)))]
    {
        // _Py_STATIC_IMMORTAL_INITIAL_REFCNT: the immortal count in the low
        // half, _Py_STATICALLY_ALLOCATED_FLAG | _Py_IMMORTAL_FLAGS in ob_flags.
        PyObject {
            __bindgen_anon_1: crate::bindings::_object__bindgen_ty_1 {
                ob_refcnt_full: (3 << 30) | ((4 | 1) << 48),
            },
            ob_type: ty,
        }
    }
    #[cfg(Py_GIL_DISABLED)]
    {
        // SAFETY: PyObject is plain data for which all-zero bytes are valid
        // (null pointers, zero counts), as the C initialiser leaves them.
        let mut ob: PyObject =
            unsafe { core::mem::MaybeUninit::zeroed().assume_init() };
        ob.ob_ref_local = u32::MAX;
        // From 3.14 a static object is also flagged as such
        // (_Py_STATICALLY_ALLOCATED_FLAG).
        #[cfg(Py_3_14)]
        {
            ob.ob_flags = 1 << 2;
        }
        ob.ob_type = ty;
        ob
    }
}

/// `PyObject_TypeCheck(op, type)`: whether `op` is an instance of `type` or
/// of a subtype.
///
/// # Safety
///
/// `op` must point to a live object and `ty` to a live type; the thread
/// must be attached.
#[inline]
pub unsafe fn PyObject_TypeCheck(op: *mut PyObject, ty: *mut PyTypeObject) -> bool {
    // SAFETY: the caller's contract covers both calls.
    unsafe {
        Py_IS_TYPE(op, ty)
            || crate::bindings::PyType_IsSubtype(Py_TYPE(op), ty) != 0
    }
}

/// `PyType_HasFeature(type, feature)`: whether any bit of `feature` is set in
/// the type's flags.
///
/// This is the non-limited API's version, which reads `tp_flags` directly
/// (relaxed-atomically on a free-threaded build, as 3.13 does) rather than
/// calling `PyType_GetFlags`. `feature` is one or more `Py_TPFLAGS_*` bits.
///
/// # Safety
///
/// `ty` must point to a live type object.
#[inline(always)]
pub unsafe fn PyType_HasFeature(ty: *mut PyTypeObject, feature: c_ulong) -> bool {
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: `ty` is a live type (caller's contract).
    let flags = unsafe { (*ty).tp_flags };
    #[cfg(Py_GIL_DISABLED)]
    // SAFETY: `ty` is a live type (caller's contract); the field is read
    // atomically, as the C does with _Py_atomic_load_ulong_relaxed. A C
    // `unsigned long` is pointer-sized on every Unix target, 32 bits on
    // Windows.
    let flags = unsafe {
        let field = &raw mut (*ty).tp_flags;
        #[cfg(not(windows))]
        let word = core::sync::atomic::AtomicUsize::from_ptr(field.cast());
        #[cfg(windows)]
        let word = core::sync::atomic::AtomicU32::from_ptr(field.cast());
        word.load(core::sync::atomic::Ordering::Relaxed) as c_ulong
    };
    (flags & feature) != 0
}

/// `PyType_FastSubclass(type, flag)`: whether the type has the
/// `Py_TPFLAGS_*_SUBCLASS` bit `flag`, that is, is one of the built-in types
/// the bit stands for or a subclass of it.
///
/// In C it is a macro for [`PyType_HasFeature`].
///
/// # Safety
///
/// `ty` must point to a live type object.
#[inline(always)]
pub unsafe fn PyType_FastSubclass(ty: *mut PyTypeObject, flag: c_ulong) -> bool {
    // SAFETY: the caller's contract is PyType_HasFeature's.
    unsafe { PyType_HasFeature(ty, flag) }
}

/// `PyType_Check(op)`: whether `op` is a type object (an instance of `type`
/// or of a metaclass).
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyType_Check(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract), so its type is too.
    unsafe {
        PyType_FastSubclass(
            Py_TYPE(op),
            crate::bindings::Py_TPFLAGS_TYPE_SUBCLASS as c_ulong,
        )
    }
}

/// `PyType_CheckExact(op)`: whether the type of `op` is exactly `type`.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyType_CheckExact(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract); PyType_Type is a static type.
    unsafe { Py_IS_TYPE(op, &raw mut crate::bindings::PyType_Type) }
}

// Typed `PyType_GetSlot` (`Include/object.h`; the slot ids are in
// `Include/typeslots.h`). The C function returns `void *`, which C callers
// cast to the slot's function type, `(allocfunc)PyType_GetSlot(type,
// Py_tp_alloc)`; these do the cast once, for the slots Rust code reads. Since
// 3.10 `PyType_GetSlot` accepts static types as well as heap types.

/// `(allocfunc)PyType_GetSlot(type, Py_tp_alloc)`: the type's `tp_alloc`.
///
/// `None` when the type has no such slot (or, with an exception set, when
/// `PyType_GetSlot` failed).
///
/// # Safety
///
/// `ty` must point to a live, ready type object; the thread must be attached.
#[inline]
pub unsafe fn PyType_GetSlot_tp_alloc(
    ty: *mut PyTypeObject,
) -> crate::bindings::allocfunc {
    // SAFETY: the caller's contract is PyType_GetSlot's; for Py_tp_alloc it
    // returns the `tp_alloc` field, an `allocfunc` or NULL, and
    // `Option<unsafe extern "C" fn>` has the layout of a nullable function
    // pointer, the same size as `void *` on every platform CPython supports.
    unsafe {
        let slot = crate::bindings::PyType_GetSlot(
            ty,
            crate::bindings::Py_tp_alloc as core::ffi::c_int,
        );
        core::mem::transmute::<*mut core::ffi::c_void, crate::bindings::allocfunc>(
            slot,
        )
    }
}

/// `(freefunc)PyType_GetSlot(type, Py_tp_free)`: the type's `tp_free`.
///
/// `None` when the type has no such slot (or, with an exception set, when
/// `PyType_GetSlot` failed).
///
/// # Safety
///
/// `ty` must point to a live, ready type object; the thread must be attached.
#[inline]
pub unsafe fn PyType_GetSlot_tp_free(
    ty: *mut PyTypeObject,
) -> crate::bindings::freefunc {
    // SAFETY: as PyType_GetSlot_tp_alloc; for Py_tp_free the field is a
    // `freefunc` or NULL.
    unsafe {
        let slot = crate::bindings::PyType_GetSlot(
            ty,
            crate::bindings::Py_tp_free as core::ffi::c_int,
        );
        core::mem::transmute::<*mut core::ffi::c_void, crate::bindings::freefunc>(
            slot,
        )
    }
}
