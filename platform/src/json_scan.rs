//! Stored JSON taken apart by a scan, not a parse: each event was checked at ingest. A collect
//! batch is one JSON array of events; enrichment reads an event's top-level members.

use std::ops::Range;

/// The elements of `array`, split at the commas outside strings, objects and arrays.
pub fn elements(array: &str) -> Split<'_> {
    top_level(array, '[', ']')
}

/// Where each element of `array` lies in it.
pub fn element_ranges(array: &str) -> Vec<Range<usize>> {
    let base = array.as_ptr() as usize;
    elements(array).map(|e| e.as_ptr() as usize - base..e.as_ptr() as usize - base + e.len()).collect()
}

/// The top-level members of a JSON object as (key, value) texts, the key without its quotes
/// and with any escapes as written.
pub fn members(object: &str) -> impl Iterator<Item = (&str, &str)> {
    top_level(object, '{', '}').filter_map(|member| {
        let member = member.trim_ascii_start().strip_prefix('"')?;
        let end = string_end(member.as_bytes(), 0);
        let value = member.get(end + 1..)?.trim_ascii_start().strip_prefix(':')?.trim_ascii();
        Some((&member[..end], value))
    })
}

/// The comma-separated parts inside the `open`…`close` pair that encloses `text`.
fn top_level(text: &str, open: char, close: char) -> Split<'_> {
    let inner = text.trim_ascii().strip_prefix(open).and_then(|t| t.strip_suffix(close)).unwrap_or_default().trim_ascii();
    Split { rest: Some(inner).filter(|i| !i.is_empty()) }
}

/// The index of the quote that closes the string whose text starts at `i`.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(found) = memchr::memchr2(b'"', b'\\', &bytes[i.min(bytes.len())..]) {
        i += found;
        if bytes[i] == b'"' {
            return i;
        }
        // A backslash and the character it escapes.
        i += 2;
    }
    bytes.len()
}

pub struct Split<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let bytes = rest.as_bytes();
        let (mut depth, mut i) = (0u32, 0);
        while i < bytes.len() {
            match bytes[i] {
                // Strings are most of an event: jump between quotes and backslashes.
                b'"' => i = string_end(bytes, i + 1),
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth = depth.saturating_sub(1),
                // A comma is ASCII, so both sides stay on character boundaries.
                b',' if depth == 0 => {
                    self.rest = Some(&rest[i + 1..]);
                    return Some(&rest[..i]);
                }
                _ => {}
            }
            i += 1;
        }
        self.rest = None;
        Some(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::{element_ranges, elements, members};

    #[test]
    fn splits_at_top_level_commas_only() {
        let events = [
            r#"{"a":1,"b":[1,2,{"c":","}]}"#,
            r#"{"s":"quote \" and comma , and brace }"}"#,
            r#"{"t":"ends in a backslash \\","u":"é,ü"}"#,
            r#"{}"#,
        ];
        assert_eq!(elements(&format!("[{}]", events.join(","))).collect::<Vec<_>>(), events);
        assert_eq!(elements(&format!("[{}]", events[0])).collect::<Vec<_>>(), [events[0]]);
        assert_eq!(elements("[]").count(), 0);
        assert_eq!(elements(" [ ] ").count(), 0);
        let array = format!("[{}]", events.join(","));
        let ranges = element_ranges(&array);
        assert_eq!(ranges.iter().map(|r| &array[r.clone()]).collect::<Vec<_>>(), events);
    }

    #[test]
    fn reads_the_top_level_members_of_an_object() {
        let object = r#" { "a" : 1, "k\"q":"v,}", "n":{"a":[1,{"b":2}]} ,"e":"" } "#;
        assert_eq!(
            members(object).collect::<Vec<_>>(),
            [("a", "1"), (r#"k\"q"#, r#""v,}""#), ("n", r#"{"a":[1,{"b":2}]}"#), ("e", r#""""#)]
        );
        assert_eq!(members("{}").count(), 0);
    }
}
