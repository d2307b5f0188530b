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
#[cfg(feature = "serde")]
pub mod config;
pub mod decision;
#[cfg(test)]
mod decision_tests;
pub mod error;
pub mod origin;
mod origin_set;
pub mod policy;
mod psl;
pub mod request;
pub mod response;
pub mod spec;
pub mod token;
pub mod validate;
pub mod vary;

#[cfg(feature = "serde")]
pub use config::PolicyConfig;
pub use decision::{AllowOrigin, Decision, HeaderInput, Malformed, Plan, Rejection, RequestKind, RequestParts};
pub use error::{PolicyError, Problem, ProblemKind};
pub use policy::{CorsPolicy, HeaderTexts, PolicyBuilder};
pub use response::{CorsHeader, HeaderList, HeaderSink};
pub use spec::{Key, NameList, OriginEntry, OriginPattern, Origins, PolicySpec, PortPattern, Text};
pub use validate::RawPolicy;
pub use vary::VarySet;
