//! `memcmp` for WebAssembly, which has no libc: the standard library's fallback compares one
//! byte at a time, and string comparisons (sorting, lowering, the overlap analysis) call it
//! for most of the strings the checks handle. Eight bytes at a time here.

/// # Safety
/// As C's `memcmp`: `a` and `b` are valid for reads of `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i + 8 <= n {
        let x = u64::from_le(core::ptr::read_unaligned(a.add(i) as *const u64));
        let y = u64::from_le(core::ptr::read_unaligned(b.add(i) as *const u64));
        if x != y {
            let at = ((x ^ y).trailing_zeros() / 8) as usize;
            return i32::from(*a.add(i + at)) - i32::from(*b.add(i + at));
        }
        i += 8;
    }
    while i < n {
        let (x, y) = (*a.add(i), *b.add(i));
        if x != y {
            return i32::from(x) - i32::from(y);
        }
        i += 1;
    }
    0
}

/// # Safety
/// As [`memcmp`]; only zero or not zero is meaningful.
#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    memcmp(a, b, n)
}
