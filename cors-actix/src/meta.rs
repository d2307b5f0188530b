//! [`RouteMeta`]: the one description of a route with its own policy.

use cors_core::{CorsPolicy, PolicyError, PolicySpec};
use std::borrow::Cow;

/// A route with its own policy: who handles it, where it is declared, its
/// path and methods, and the keys it sets. `#[cors]` builds one in a
/// `static`; [`CorsResource`](crate::CorsResource) builds one at run time.
#[derive(Clone, Debug)]
pub struct RouteMeta {
    /// The handler function's name (for a `CorsResource`, its label).
    pub handler: Cow<'static, str>,
    /// `module_path!()` of the handler.
    pub module_path: Cow<'static, str>,
    /// Source file of the declaration.
    pub file: Cow<'static, str>,
    /// Source line of the declaration.
    pub line: u32,
    /// The route's path, relative to its scope.
    pub path: Cow<'static, str>,
    /// The route's own methods.
    pub methods: Cow<'static, [Cow<'static, str>]>,
    /// The policy keys the route sets.
    pub spec: PolicySpec,
}

impl RouteMeta {
    /// The route's effective policy: its keys merged over `global` (when
    /// there is one), checked, with the route's own methods as the
    /// allowed ones when it sets none.
    pub(crate) fn effective_policy(&self, global: Option<&CorsPolicy>) -> Result<CorsPolicy, PolicyError> {
        let spec = match global {
            Some(g) => self.spec.merged_over(g.spec()),
            None => self.spec.clone(),
        };
        let methods: Vec<&str> = self.methods.iter().map(|m| m.as_ref()).collect();
        CorsPolicy::from_spec(spec, Some(&methods))
    }
}
