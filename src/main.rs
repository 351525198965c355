use clap::Parser;

fn main() -> std::process::ExitCode {
    match briefing::cli::run(briefing::cli::Cli::parse()) {
        Ok(summary) => {
            println!("{summary}");
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprint!("{}", error.report());
            std::process::ExitCode::FAILURE
        }
    }
}
