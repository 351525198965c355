use clap::Parser;

/// See Cargo.toml: jemalloc, for a build's millions of small allocations on every thread.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
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
