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
        Layers::default().effective_policy(self, global)
    }
}

/// A route or scope with a policy declared at run time
/// ([`CorsResource`](crate::CorsResource), [`CorsScope`](crate::CorsScope)):
/// its path, the name it goes by, its keys and where it was declared.
#[derive(Debug)]
pub(crate) struct Declared {
    pub(crate) path: String,
    pub(crate) label: String,
    pub(crate) spec: PolicySpec,
    file: &'static str,
    line: u32,
}

impl Declared {
    /// Declared by the caller of the (`#[track_caller]`) constructor
    /// calling this.
    #[track_caller]
    pub(crate) fn here(path: String, label: String, spec: PolicySpec) -> Declared {
        let caller = std::panic::Location::caller();
        Declared { path, label, spec, file: caller.file(), line: caller.line() }
    }

    pub(crate) fn meta(&self, methods: Cow<'static, [Cow<'static, str>]>) -> RouteMeta {
        RouteMeta {
            handler: Cow::Owned(self.label.clone()),
            module_path: Cow::Borrowed(""),
            file: Cow::Borrowed(self.file),
            line: self.line,
            path: Cow::Owned(self.path.clone()),
            methods,
            spec: self.spec.clone(),
        }
    }
}

/// Where a policy sits between the global `Cors` and the route: the keys
/// of the [`CorsScope`](crate::CorsScope)s around it, and whether it is a
/// scope's own policy rather than a route's.
#[derive(Clone, Debug, Default)]
pub(crate) struct Layers {
    /// The enclosing scopes' keys, the innermost winning, methods included.
    pub(crate) scopes: Option<PolicySpec>,
    /// A scope's policy: it covers every method of every route inside, so
    /// it inherits `methods` like a route without a policy of its own.
    pub(crate) is_scope: bool,
}

impl Layers {
    /// The effective policy of `meta` in these layers: route > scope >
    /// global > default. A route's `methods` are never inherited (it
    /// allows its own methods when it sets none); a scope's are.
    pub(crate) fn effective_policy(
        &self,
        meta: &RouteMeta,
        global: Option<&CorsPolicy>,
    ) -> Result<CorsPolicy, PolicyError> {
        let parent = match (&self.scopes, global) {
            (Some(scopes), Some(global)) => Some(scope_over(scopes, global.spec())),
            (Some(scopes), None) => Some(scopes.clone()),
            (None, Some(global)) => Some(global.spec().clone()),
            (None, None) => None,
        };
        if self.is_scope {
            let spec = match &parent {
                Some(parent) => scope_over(&meta.spec, parent),
                None => meta.spec.clone(),
            };
            return CorsPolicy::from_spec(spec, None);
        }
        let spec = match &parent {
            Some(parent) => meta.spec.merged_over(parent),
            None => meta.spec.clone(),
        };
        let methods: Vec<&str> = meta.methods.iter().map(|m| m.as_ref()).collect();
        CorsPolicy::from_spec(spec, Some(&methods))
    }

    /// The layers a route or scope registered inside the scope `meta`
    /// (whose own layers are `self`) sits in.
    pub(crate) fn inside(&self, meta: &RouteMeta) -> Layers {
        let scopes = match &self.scopes {
            Some(outer) => scope_over(&meta.spec, outer),
            None => meta.spec.clone(),
        };
        Layers { scopes: Some(scopes), is_scope: false }
    }
}

/// A scope's keys over the layer above it: like a route's, except that
/// `methods` is inherited too (a scope covers routes it knows nothing of).
fn scope_over(scope: &PolicySpec, parent: &PolicySpec) -> PolicySpec {
    let mut spec = scope.merged_over(parent);
    if !spec.off && spec.methods.is_none() {
        spec.methods = parent.methods.clone();
    }
    spec
}
