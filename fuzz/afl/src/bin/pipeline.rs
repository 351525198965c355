//! `cargo afl fuzz ... target/afl/debug/pipeline`: the `pipeline` target under AFL++. A panic aborts
//! the process, which afl-fuzz records as a crash.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        briefing_afl::targets::one_brief_site(data);
    });
}
