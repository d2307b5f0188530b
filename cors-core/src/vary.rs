//! `Vary`: the request headers a CORS answer depends on (Fetch standard,
//! "CORS protocol and HTTP caches"), merged with the handler's own `Vary`
//! without duplicating a name.

/// A set of the request headers a response varies on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct VarySet(u8);

impl VarySet {
    /// No header.
    pub const EMPTY: VarySet = VarySet(0);
    /// `Origin`
    pub const ORIGIN: VarySet = VarySet(1);
    /// `Access-Control-Request-Method`
    pub const REQUEST_METHOD: VarySet = VarySet(2);
    /// `Access-Control-Request-Headers`
    pub const REQUEST_HEADERS: VarySet = VarySet(4);
    /// `Access-Control-Request-Private-Network`
    pub const REQUEST_PRIVATE_NETWORK: VarySet = VarySet(8);

    const NAMES: [(VarySet, &'static str); 4] = [
        (VarySet::ORIGIN, "Origin"),
        (VarySet::REQUEST_METHOD, "Access-Control-Request-Method"),
        (VarySet::REQUEST_HEADERS, "Access-Control-Request-Headers"),
        (VarySet::REQUEST_PRIVATE_NETWORK, "Access-Control-Request-Private-Network"),
    ];

    /// The union of two sets.
    pub const fn with(self, other: VarySet) -> VarySet {
        VarySet(self.0 | other.0)
    }

    /// Whether every name of `other` is in `self`.
    pub const fn contains(self, other: VarySet) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The raw bits (`0..16`), usable as an index into a table of
    /// precomputed header values.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// A set from raw bits; bits beyond the four names are dropped.
    pub const fn from_bits(bits: u8) -> VarySet {
        VarySet(bits & 0b1111)
    }

    /// The header names in the set, in a fixed order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        VarySet::NAMES.into_iter().filter(move |(bit, _)| self.contains(*bit)).map(|(_, n)| n)
    }

    /// The `Vary` value for this set (`"Origin, Access-Control-Request-Method"`),
    /// as a static string: a header value made from it is copied, never
    /// reference-counted.
    pub const fn as_str(self) -> &'static str {
        macro_rules! o {
            () => {
                "Origin"
            };
        }
        macro_rules! m {
            () => {
                "Access-Control-Request-Method"
            };
        }
        macro_rules! h {
            () => {
                "Access-Control-Request-Headers"
            };
        }
        macro_rules! p {
            () => {
                "Access-Control-Request-Private-Network"
            };
        }
        // indexed by the bits: Origin 1, Method 2, Headers 4, Private-Network 8
        const ALL: [&str; 16] = [
            "",
            o!(),
            m!(),
            concat!(o!(), ", ", m!()),
            h!(),
            concat!(o!(), ", ", h!()),
            concat!(m!(), ", ", h!()),
            concat!(o!(), ", ", m!(), ", ", h!()),
            p!(),
            concat!(o!(), ", ", p!()),
            concat!(m!(), ", ", p!()),
            concat!(o!(), ", ", m!(), ", ", p!()),
            concat!(h!(), ", ", p!()),
            concat!(o!(), ", ", h!(), ", ", p!()),
            concat!(m!(), ", ", h!(), ", ", p!()),
            concat!(o!(), ", ", m!(), ", ", h!(), ", ", p!()),
        ];
        ALL[(self.0 & 0b1111) as usize]
    }

    /// The `Vary` value for this set, built from [`names`](Self::names)
    /// (the same text as [`as_str`](Self::as_str)).
    pub fn render(self) -> String {
        self.names().collect::<Vec<_>>().join(", ")
    }

    /// The names of `self` not already listed in the response's existing
    /// `Vary` values (each may be a comma list, names compare
    /// case-insensitively). `Vary: *` already covers everything.
    pub fn missing_from<'a>(self, existing: impl IntoIterator<Item = &'a [u8]>) -> VarySet {
        let mut missing = self;
        for line in existing {
            for name in line.split(|b| *b == b',') {
                let name = name.trim_ascii();
                if name == b"*" {
                    return VarySet::EMPTY;
                }
                for (bit, known) in VarySet::NAMES {
                    if name.eq_ignore_ascii_case(known.as_bytes()) {
                        missing = VarySet(missing.0 & !bit.0);
                    }
                }
            }
        }
        missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFLIGHT: VarySet = VarySet::ORIGIN.with(VarySet::REQUEST_METHOD).with(VarySet::REQUEST_HEADERS);

    #[test]
    fn renders_in_a_fixed_order() {
        assert_eq!(PREFLIGHT.render(), "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        assert_eq!(VarySet::EMPTY.render(), "");
    }

    #[test]
    fn names_already_present_are_not_added_again() {
        let existing: [&[u8]; 2] = [b"accept-encoding, ORIGIN", b"Access-Control-Request-Method"];
        assert_eq!(PREFLIGHT.missing_from(existing), VarySet::REQUEST_HEADERS);
        assert_eq!(VarySet::ORIGIN.missing_from([&b"Accept-Encoding"[..]]), VarySet::ORIGIN);
        assert_eq!(VarySet::ORIGIN.missing_from([&b"Originally"[..]]), VarySet::ORIGIN);
    }

    #[test]
    fn star_covers_everything() {
        assert_eq!(PREFLIGHT.missing_from([&b"accept, *"[..]]), VarySet::EMPTY);
    }

    #[test]
    fn the_static_text_of_every_set_is_its_rendering() {
        for bits in 0..16 {
            let set = VarySet::from_bits(bits);
            assert_eq!(set.as_str(), set.render(), "bits {bits}");
        }
    }

    #[test]
    fn bits_round_trip() {
        for bits in 0..16 {
            assert_eq!(VarySet::from_bits(bits).bits(), bits);
        }
    }
}
