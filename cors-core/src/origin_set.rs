//! The compiled `origins` list, and looking a request's `Origin` up in it
//! without allocating, at a cost that does not grow with the list.

use crate::origin::pattern_matches;
use crate::spec::{OriginEntry, OriginPattern};

/// The hash of the exact-origin table: a multiply-rotate hash over 8-byte
/// words, several times cheaper than the default SipHash for the short
/// strings origins are, and with no length prefix to write.
///
/// It is not keyed, and needs not be: requests only look origins up, and
/// the set's contents come from the configuration, never from a request,
/// so no client can fill a bucket. The probe length of a lookup is bounded
/// by how the configured origins spread over the table, whatever the
/// looked-up bytes.
struct OriginHasher(u64);

impl OriginHasher {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;

    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(Self::K);
    }

    fn write(&mut self, bytes: &[u8]) {
        // Whole words, then the last 8 bytes again (overlapping) for the
        // tail: no byte-by-byte copy, and every byte counts.
        let n = bytes.len();
        let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
        if n >= 8 {
            let mut at = 0;
            while at + 8 <= n {
                self.mix(word(at));
                at += 8;
            }
            if at < n {
                self.mix(word(n - 8));
            }
        } else if n >= 4 {
            let half = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or([0; 4])));
            self.mix(half(0) | half(n - 4) << 32);
        } else if n > 0 {
            self.mix(u64::from(bytes[0]) | u64::from(bytes[n / 2]) << 8 | u64::from(bytes[n - 1]) << 16);
        }
    }

    fn finish(&self) -> u64 {
        // Fold the well-mixed high bits into the low ones, which pick the
        // bucket.
        let h = self.0;
        h ^ (h >> 32) ^ (h >> 47)
    }
}

#[inline]
fn hash(bytes: &[u8]) -> u64 {
    // seeded with the length, so `""` and `"\0"` differ
    let mut h = OriginHasher(bytes.len() as u64);
    h.write(bytes);
    h.finish()
}

/// The exact origins: an open-addressing table (linear probing, at most
/// half full) of indices into the entries, each stored with its hash.
///
/// A lookup hashes the request's `Origin` once, then compares hashes and,
/// only where they agree, bytes: about the cost of one slice compare
/// whether 1 or 10,000 origins are configured. A general-purpose hash set
/// pays for more than a set built once and only read needs (see
/// BENCHMARKS.md, `exact origin` rows).
#[derive(Clone, Debug, Default)]
struct ExactTable {
    /// A power-of-two number of slots: 0 is empty, `i + 1` is `entries[i]`.
    slots: Box<[usize]>,
    entries: Box<[(u64, Box<[u8]>)]>,
}

impl ExactTable {
    fn new(origins: Vec<Box<[u8]>>) -> Self {
        if origins.is_empty() {
            return ExactTable::default();
        }
        let mut slots = vec![0usize; (origins.len() * 2).next_power_of_two()];
        let mut entries: Vec<(u64, Box<[u8]>)> = Vec::with_capacity(origins.len());
        let mask = slots.len() - 1;
        for bytes in origins {
            let h = hash(&bytes);
            let mut i = h as usize & mask;
            loop {
                match slots[i] {
                    0 => {
                        entries.push((h, bytes));
                        slots[i] = entries.len();
                        break;
                    }
                    // a duplicate (the builder refuses them; harmless here)
                    s if entries[s - 1].0 == h && entries[s - 1].1 == bytes => break,
                    _ => i = (i + 1) & mask,
                }
            }
        }
        ExactTable { slots: slots.into_boxed_slice(), entries: entries.into_boxed_slice() }
    }

    #[inline]
    fn contains(&self, origin: &[u8]) -> bool {
        if self.slots.is_empty() {
            return false;
        }
        let h = hash(origin);
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        // Ends: at least half the slots are empty. The probe length depends
        // on how the configured origins cluster, never on the request.
        loop {
            let Some((stored, bytes)) = self.slots[i].checked_sub(1).and_then(|e| self.entries.get(e)) else {
                return false;
            };
            if *stored == h && **bytes == *origin {
                return true;
            }
            i = (i + 1) & mask;
        }
    }
}

/// The compiled `origins` list: exact origins in an [`ExactTable`],
/// patterns scanned in order, `null` as a flag.
#[derive(Clone, Debug, Default)]
pub(crate) struct OriginSet {
    exact: ExactTable,
    patterns: Vec<OriginPattern>,
    null: bool,
}

impl OriginSet {
    pub(crate) fn new(entries: &[OriginEntry]) -> Self {
        let mut exact: Vec<Box<[u8]>> = Vec::new();
        let mut set = OriginSet::default();
        for entry in entries {
            match entry {
                OriginEntry::Exact(o) => exact.push(o.as_bytes().into()),
                OriginEntry::Pattern(p) => set.patterns.push(p.clone()),
                OriginEntry::Null => set.null = true,
            }
        }
        set.exact = ExactTable::new(exact);
        set
    }

    /// Whether a request's `Origin` value (any bytes) is allowed.
    #[inline(always)]
    pub(crate) fn contains(&self, origin: &[u8]) -> bool {
        if origin == b"null" {
            return self.null;
        }
        self.exact.contains(origin) || self.patterns.iter().any(|p| pattern_matches(p, origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::{parse_origin, ParsedOrigin};
    use std::collections::HashSet;

    #[test]
    fn origin_set_matches_exact_null_and_patterns() {
        let entries: Vec<OriginEntry> = ["https://a.example", "null", "https://*.b.example"]
            .into_iter()
            .map(|s| match parse_origin(s).unwrap() {
                ParsedOrigin::Entry(e) => e,
                ParsedOrigin::Any => unreachable!(),
            })
            .collect();
        let set = OriginSet::new(&entries);
        assert!(set.contains(b"https://a.example"));
        assert!(set.contains(b"null"));
        assert!(set.contains(b"https://x.b.example"));
        assert!(!set.contains(b"https://a.example.evil"));
        assert!(!set.contains(b"http://a.example"));
        assert!(!set.contains(b"https://a.example:8443"));
        assert!(!set.contains(b"https://a.example/"));
        assert!(!set.contains(b"Https://a.example"));
        assert!(!set.contains(b""));
        assert!(!set.contains(b"\xc3\x28"));
        assert!(!OriginSet::new(&entries[..1]).contains(b"null"));
    }

    #[test]
    fn the_table_spreads_similar_origins_in_short_runs() {
        let origins: Vec<Box<[u8]>> =
            (0..10_000).map(|i| format!("https://app{i}.example").into_bytes().into()).collect();
        let buckets: HashSet<u64> = origins.iter().map(|o| hash(o) & 0x3fff).collect();
        assert!(buckets.len() > 6_000, "{} distinct buckets of 16384 for 10,000 origins", buckets.len());
        // the longest run of occupied slots bounds every probe, hit or miss
        let table = ExactTable::new(origins);
        assert_eq!(table.slots.len(), 32_768);
        let longest = table.slots.split(|s| *s == 0).map(<[usize]>::len).max().unwrap_or(0);
        assert!(longest < 48, "a run of {longest} occupied slots");
        // short inputs and inputs differing only in their tail differ too
        assert_ne!(hash(b"ab"), hash(b"ba"));
        assert_ne!(hash(b"https://a.example1"), hash(b"https://a.example2"));
        assert_ne!(hash(b""), hash(b"\0"));
    }

    #[test]
    fn lists_of_every_size_answer_exactly() {
        for n in [0, 1, 2, 3, 4, 5, 100, 1000] {
            let origins: Vec<String> = (0..n).map(|i| format!("https://app{i}.example")).collect();
            let mut entries: Vec<OriginEntry> = origins.iter().map(|o| OriginEntry::Exact(o.clone().into())).collect();
            // a repeated entry is stored once
            entries.extend(entries.first().cloned());
            let set = OriginSet::new(&entries);
            assert_eq!(set.exact.entries.len(), n);
            for o in &origins {
                assert!(set.contains(o.as_bytes()), "{o} in a list of {n}");
            }
            for miss in ["https://app.example", "https://app1.example.", "https://app10000.example", "", "null"] {
                assert!(!set.contains(miss.as_bytes()), "{miss} not in a list of {n}");
            }
        }
    }
}
