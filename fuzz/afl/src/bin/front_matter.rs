//! `cargo afl fuzz ... target/afl/debug/front_matter`: the `front_matter` target under AFL++. A panic aborts
//! the process, which afl-fuzz records as a crash.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        briefing_afl::targets::front_matter(data);
    });
}
