use clap::Parser;

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
