//! The `recap` binary. Its allocator is mimalloc: rendering makes millions
//! of small, short-lived allocations (template values, strings), and glibc's
//! malloc took a quarter of a build's CPU time on them.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(recap::cli::run());
}

/// mimalloc commits whole arenas up front on Linux: ~20 MiB of resident
/// memory even for a ten-post site. Pages are committed as they are used
/// instead. Options must be set before mimalloc's first allocation, which
/// happens before `main`, so this runs among the process constructors,
/// ahead of mimalloc's own (priority 101).
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array.00099")]
static CONFIGURE_ALLOCATOR: extern "C" fn() = configure_allocator;

#[cfg(target_os = "linux")]
extern "C" fn configure_allocator() {
    /// `mi_option_arena_eager_commit`, which the Rust bindings do not name.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    // SAFETY: mi_option_set only stores into mimalloc's static option table;
    // it allocates nothing and needs no initialisation.
    unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
}
