//! The keys of the policy every benchmark measures, for `cors-core`'s
//! decision benches (`cors-core/benches/decide.rs`) and `cors-actix`'s
//! middleware benches (`equivalent.rs`): exact origins, credentials, two
//! allowed headers, one exposed header, max-age. The including module
//! brings `CorsPolicy` and `PolicyBuilder` into scope, from whichever
//! crate it measures.

use super::{CorsPolicy, PolicyBuilder};

pub const APP: &str = "https://app.example";
pub const ADMIN: &str = "https://admin.example";

/// The policy's keys, for a global policy (`build`) or a route's
/// (`build_spec`).
pub fn builder() -> PolicyBuilder {
    CorsPolicy::builder()
        .origins([APP, ADMIN])
        .methods(["GET", "POST", "PUT"])
        .allow_headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .credentials(true)
        .max_age(600)
}
