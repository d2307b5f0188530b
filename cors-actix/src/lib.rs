//! Per-route, compile-time validated CORS for actix-web.
pub use cors_core::{CorsPolicy, PolicyError};
