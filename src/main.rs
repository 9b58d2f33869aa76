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
/// instead (`RECAP_NO_ALLOCATOR_TUNING=1` keeps mimalloc's defaults).
/// Options must be set before mimalloc's first allocation, which happens
/// before `main`, so this runs among the process constructors, ahead of
/// mimalloc's own (priority 101).
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array.00099")]
static CONFIGURE_ALLOCATOR: extern "C" fn() = configure_allocator;

/// `mi_option_arena_eager_commit`, which the Rust bindings do not name
/// (the test below pins it between the options they do name).
#[cfg(target_os = "linux")]
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

#[cfg(target_os = "linux")]
extern "C" fn configure_allocator() {
    unsafe extern "C" {
        fn getenv(name: *const std::ffi::c_char) -> *const std::ffi::c_char;
    }
    // SAFETY: getenv reads the environment the C runtime set up before
    // constructors run, and allocates nothing (std::env would).
    let switched_off = !unsafe { getenv(c"RECAP_NO_ALLOCATOR_TUNING".as_ptr()) }.is_null();
    if switched_off {
        return;
    }
    // SAFETY: mi_option_set only stores into mimalloc's static option table;
    // it allocates nothing and needs no initialisation.
    unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The constructor runs in this test binary too, before any test.
    #[test]
    fn arenas_are_committed_lazily_after_start_up() {
        assert_eq!(libmimalloc_sys::mi_option_verbose + 2, ARENA_EAGER_COMMIT);
        assert_eq!(
            libmimalloc_sys::mi_option_large_os_pages - 2,
            ARENA_EAGER_COMMIT
        );
        // SAFETY: reads mimalloc's option table.
        let value = unsafe { libmimalloc_sys::mi_option_get(ARENA_EAGER_COMMIT) };
        let expected = if std::env::var_os("RECAP_NO_ALLOCATOR_TUNING").is_some() {
            2
        } else {
            0
        };
        assert_eq!(value, expected);
    }
}
