//! Framework-neutral core of `cors-actix`: the CORS policy model, its
//! validation, the request decision engine, precomputed header values and a
//! model of what browsers do (the Fetch standard's CORS protocol).
//!
//! No web framework, no async, no proc-macro code lives here; the
//! `cors-actix` crate translates between this crate and actix-web.
//!
//! ```
//! use cors_core::{CorsPolicy, Decision, RequestParts};
//!
//! let policy = CorsPolicy::builder()
//!     .origins(["https://app.example.com"])
//!     .credentials(true)
//!     .build()?;
//! let request = RequestParts::new(b"GET").origin(b"https://app.example.com");
//! assert!(matches!(policy.decide(&request), Decision::ActualAllowed(_)));
//! let request = RequestParts::new(b"GET").origin(b"https://evil.example");
//! assert!(matches!(policy.decide(&request), Decision::ActualDisallowed { .. }));
//! # Ok::<(), cors_core::PolicyError>(())
//! ```
#![deny(missing_docs)]

pub mod browser;
mod config;
mod decision;
#[cfg(test)]
mod decision_tests;
mod error;
mod origin;
mod origin_fn;
mod origin_set;
mod policy;
mod psl;
mod request;
mod response;
mod spec;
mod token;
mod validate;
mod vary;

pub use config::PolicyConfig;
pub use decision::{AllowOrigin, Decision, Malformed, Plan, Rejection};
pub use error::{PolicyError, Problem, ProblemKind};
pub use origin::{parse_origin, OriginError, ParsedOrigin};
pub use origin_fn::{OriginFn, OriginPredicate, RequestOrigin, RequestView};
pub use policy::{CorsPolicy, HeaderTexts, PolicyBuilder};
pub use request::{HeaderInput, RequestKind, RequestParts, MAX_ACRH_BYTES, MAX_ACRH_ELEMENTS, MAX_ACRH_LINES};
pub use response::{CorsHeader, HeaderList, HeaderSink};
pub use spec::{NameList, OriginEntry, OriginPattern, Origins, PolicyKey, PolicySpec, PortPattern, Text};
pub use vary::VarySet;
