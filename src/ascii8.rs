//! ASCII byte classes of eight bytes at once, in one `u64` (SWAR): the matcher finds word ends
//! and the Markdown stage counts words with them, over every byte of every brief.
//!
//! Each class is answered in the high bit of each byte. A range test adds a constant to every
//! byte at once, which is exact while no byte's sum passes 0xFF and so carries into the next.

/// The high bit of every byte of a word.
pub const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// `byte` in every byte of a word.
const fn repeat(byte: u8) -> u64 {
    byte as u64 * 0x0101_0101_0101_0101
}

/// The high bit of each byte of `eight` set where that byte is an ASCII letter or digit. The
/// range tests run on the low seven bits, so no sum passes 0xFF; bytes from 0x80 are cleared.
pub fn word_bytes(eight: u64) -> u64 {
    let seven = eight & !HIGH_BITS;
    let within = |low: u8, high: u8| {
        let at_least_low = seven + repeat(0x80 - low);
        let above_high = seven + repeat(0x7F - high);
        at_least_low & !above_high
    };
    (within(b'0', b'9') | within(b'a', b'z') | within(b'A', b'Z')) & !eight & HIGH_BITS
}

/// The high bit of each byte of `eight` set where that byte is whitespace as
/// `char::is_whitespace` has it among ASCII characters: the space and `\t` to `\r`. Only for
/// ASCII bytes (below 0x80), where no sum here passes 0xFF.
pub fn white_bytes(eight: u64) -> u64 {
    let not_space = (eight ^ repeat(b' ')) + repeat(0x7F);
    let at_least_tab = eight + repeat(0x80 - b'\t');
    let above_return = eight + repeat(0x80 - b'\r' - 1);
    (!not_space | at_least_tab & !above_return) & HIGH_BITS
}

/// [`white_bytes`] of one byte, for the few bytes after the last eight.
pub fn is_white(byte: u8) -> bool {
    byte == b' ' || byte.wrapping_sub(b'\t') < 5
}

#[cfg(test)]
mod tests {
    use super::{HIGH_BITS, is_white, white_bytes, word_bytes};

    /// Each byte value in each of the eight places, among bytes of the other classes.
    fn each_place(limit: u8, class: impl Fn(u64) -> u64, expected: impl Fn(u8) -> bool) {
        for byte in 0..limit {
            for place in 0..8 {
                for filler in [b'a', b' ', b'-', b'\t'] {
                    let mut bytes = [filler; 8];
                    bytes[place] = byte;
                    let want = bytes.iter().enumerate().fold(0u64, |bits, (at, &b)| {
                        bits | u64::from(expected(b)) << (8 * at + 7)
                    });
                    let got = class(u64::from_le_bytes(bytes));
                    assert_eq!(got, want, "{bytes:?}");
                    assert_eq!(got & !HIGH_BITS, 0);
                }
            }
        }
    }

    #[test]
    fn word_bytes_are_ascii_letters_and_digits() {
        each_place(255, word_bytes, |b| b.is_ascii_alphanumeric());
        assert_eq!(word_bytes(u64::MAX), 0);
    }

    #[test]
    fn white_bytes_are_what_char_is_whitespace_accepts_in_ascii() {
        each_place(128, white_bytes, |b| char::from(b).is_whitespace());
        each_place(128, white_bytes, is_white);
    }
}
