//! The wasm's heap: blocks of power-of-two sizes, each size with its list of
//! freed blocks, carved from memory the allocator grows. The standard library's
//! allocator for this target (dlmalloc) is about 3 KB of the page's gzip budget;
//! this one is a few hundred bytes. A freed block is reused for the next request
//! of its size class and never split or merged: a request costs at most twice
//! its size, which the page's allocations (vectors that double as they grow,
//! and small strings) stay within. The page's wasm has one thread (the trainer's
//! worker has its own instance and memory), hence no lock.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr::null_mut;

/// Block sizes from 2^3 bytes (a freed block holds the next one's address) to
/// 2^31, the most a 32-bit memory can hold.
const SMALLEST: u32 = 3;
const CLASSES: usize = 32;
/// Blocks are aligned to their size up to this, which is more than any of the
/// page's types asks for; a request aligned to more is refused.
const MOST_ALIGN: usize = 4096;
const PAGE: usize = 65536;
/// Memory is grown by at least this many pages at once (1 MiB).
const GROWTH: usize = 16;

struct Heap {
    free: [usize; CLASSES],
    top: usize,
    end: usize,
}

pub struct PageHeap(UnsafeCell<Heap>);

// SAFETY: the wasm32 page runs one thread; nothing shares the heap.
unsafe impl Sync for PageHeap {}

#[global_allocator]
static HEAP: PageHeap = PageHeap(UnsafeCell::new(Heap { free: [0; CLASSES], top: 0, end: 0 }));

/// The size class of a request: the smallest power of two at least its size
/// and alignment (and 8), as its exponent.
fn class(layout: Layout) -> usize {
    let size = layout.size().max(layout.align()).max(1 << SMALLEST);
    (usize::BITS - (size - 1).leading_zeros()) as usize
}

impl Heap {
    /// A fresh block of class `c`, from the top of the heap, which grows the
    /// memory when it must; null when the memory cannot grow.
    fn carve(&mut self, c: usize) -> *mut u8 {
        let size = 1usize << c;
        let align = size.min(MOST_ALIGN);
        loop {
            let start = (self.top + align - 1) & !(align - 1);
            if let Some(next) = start.checked_add(size).filter(|&n| n <= self.end) {
                self.top = next;
                return start as *mut u8;
            }
            let pages = (size + align).div_ceil(PAGE).max(GROWTH);
            let before = core::arch::wasm32::memory_grow(0, pages);
            if before == usize::MAX {
                return null_mut();
            }
            let base = before * PAGE;
            // The first growth (or one after another's): the heap starts anew
            // at the grown memory.
            if base != self.end {
                self.top = base;
            }
            self.end = base + pages * PAGE;
        }
    }
}

// SAFETY: every block handed out is `1 << class` bytes aligned to
// min(its size, MOST_ALIGN), at least the layout's size and alignment, and lies
// in grown memory that no other block overlaps; a freed block is reused only
// after `dealloc` gave it back with the layout it was allocated with.
unsafe impl GlobalAlloc for PageHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let c = class(layout);
        if c >= CLASSES || layout.align() > MOST_ALIGN {
            return null_mut();
        }
        // SAFETY: one thread, and no reference to the heap outlives this call.
        let heap = unsafe { &mut *self.0.get() };
        let head = heap.free[c];
        if head == 0 {
            return heap.carve(c);
        }
        // SAFETY: a freed block of this class holds the next one's address.
        heap.free[c] = unsafe { *(head as *const usize) };
        head as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let c = class(layout);
        // SAFETY: as in `alloc`; the block is at least 8 bytes, aligned to 8.
        let heap = unsafe { &mut *self.0.get() };
        unsafe { *(ptr as *mut usize) = heap.free[c] };
        heap.free[c] = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees a valid layout of the new size.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if class(new) == class(layout) {
            return ptr;
        }
        // SAFETY: as in `alloc` and `dealloc`; the blocks do not overlap.
        unsafe {
            let moved = self.alloc(new);
            if !moved.is_null() {
                std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            moved
        }
    }
}
