//! `cargo afl fuzz ... target/afl/debug/annotate`: the `annotate` target under AFL++. A panic aborts
//! the process, which afl-fuzz records as a crash.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        briefing_afl::targets::annotate_text(data);
    });
}
