use clap::Parser;

/// See Cargo.toml: jemalloc, for a build's millions of small allocations on every thread.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Seeds for the hash maps Tera builds for every page, drawn from a counter of the calling
/// thread's own: ahash's default counter is shared by all threads, and two threads making maps
/// at once spent 1% of a build passing its cache line back and forth. Seeds only need to differ
/// between maps; the keys they are mixed with are still random per process.
struct ThreadSeeds;

impl ahash::random_state::RandomSource for ThreadSeeds {
    fn gen_hasher_seed(&self) -> usize {
        thread_local! {
            static NEXT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        NEXT.with(|next| {
            // Each thread starts from the address of its own counter, so no two count alike.
            let seed = match next.get() {
                0 => std::ptr::from_ref(next) as usize,
                seed => seed,
            };
            next.set(seed.wrapping_add(0x9e37_79b9_7f4a_7c15_u64 as usize) | 1);
            seed
        })
    }
}

fn main() -> std::process::ExitCode {
    // Before any map is made; should one have been, ahash keeps its own source.
    let _ = ahash::random_state::set_random_source(ThreadSeeds);
    match briefing::cli::run(briefing::cli::Cli::parse()) {
        Ok(outcome) => {
            print!("{}", outcome.stdout);
            eprint!("{}", outcome.stderr);
            if outcome.failed {
                std::process::ExitCode::FAILURE
            } else {
                std::process::ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprint!("{}", error.report());
            std::process::ExitCode::FAILURE
        }
    }
}
