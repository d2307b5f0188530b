//! Reading the item under `#[cors]`: a handler `fn` and the actix route
//! attribute below `#[cors]` (its path and methods), the same way
//! actix-web-codegen reads it: `#[get("/path", name = "...", guard = "...",
//! wrap = "...")]`, `#[route("/path", method = "GET", method = "POST")]`.
//!
//! Attribute macros expand top-down, so `#[cors]` only sees the route
//! attribute when it is written above it. Written below, actix expands first
//! and hands `#[cors]` its copy of the bare fn, with no route attribute left.

use crate::ctxt::{with_help, Ctxt};
use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Expr, ExprLit, Item, ItemFn, Lit, LitStr, MetaNameValue, Token};

const PLACEMENT: &str = "`#[cors]` must be placed above an actix route attribute such as `#[get(\"/path\")]`";
const PLACEMENT_HELP: &str = "put `#[cors(...)]` directly above `#[get]`, `#[post]`, `#[put]`, `#[delete]`, \
     `#[patch]`, `#[head]` or `#[route]`; if the route attribute is above `#[cors]`, swap the two";

/// A handler `fn` with its route attribute.
pub(crate) struct Handler {
    pub(crate) item: ItemFn,
    pub(crate) route: RouteAttr,
}

/// The actix route attribute of a handler.
pub(crate) struct RouteAttr {
    /// Position in the handler's attributes.
    index: usize,
    /// `get`, `actix_web::post`, … as the user wrote it.
    attr_path: syn::Path,
    /// The route's path literal.
    pub(crate) path: LitStr,
    /// `name = ...`, `guard = ...`, `wrap = ...`, `method = ...`, kept as written.
    options: Vec<MetaNameValue>,
    /// The route's methods: `["GET"]` for `#[get]`, every `method = "..."` of `#[route]`.
    pub(crate) methods: Vec<String>,
}

/// What kind of actix attribute an attribute is, by its last path segment,
/// so `#[get]`, `#[actix_web::get]` and `#[web::get]` all count.
enum Kind {
    Method(&'static str),
    Route,
    Unsupported(&'static str),
}

fn kind(attr: &Attribute) -> Option<Kind> {
    let name = attr.path().segments.last()?.ident.to_string();
    Some(match name.as_str() {
        "get" => Kind::Method("GET"),
        "post" => Kind::Method("POST"),
        "put" => Kind::Method("PUT"),
        "delete" => Kind::Method("DELETE"),
        "patch" => Kind::Method("PATCH"),
        "head" => Kind::Method("HEAD"),
        "options" => Kind::Method("OPTIONS"),
        "query" => Kind::Method("QUERY"),
        "route" => Kind::Route,
        "trace" | "connect" => Kind::Unsupported("browsers never send CONNECT or TRACE cross-origin (`fetch()` refuses them), so this route needs no CORS: remove `#[cors]`"),
        "routes" => Kind::Unsupported("use one handler per path, with `#[route(\"/path\", method = \"GET\", method = \"POST\")]` for several methods on one path"),
        _ => return None,
    })
}

fn is_cors(attr: &Attribute) -> bool {
    attr.path().segments.last().is_some_and(|s| s.ident == "cors")
}

/// Reads the handler under `#[cors]`. `None` when there is nothing to
/// generate: the problem is in `cx`, or the item is malformed in a way
/// rustc or actix will report themselves (then `cx` stays empty so the user
/// sees their error only).
pub(crate) fn read(item: TokenStream, cx: &mut Ctxt) -> Option<Handler> {
    let item = match syn::parse2::<Item>(item) {
        Ok(Item::Fn(f)) => f,
        Ok(other) => {
            let help =
                "`#[cors(...)]` goes on a handler `fn`, above its actix route attribute such as `#[get(\"/path\")]`";
            cx.error_spanned(item_head(&other), with_help("`#[cors]` can only be applied to a handler function", help));
            return None;
        }
        Err(_) => return None,
    };
    let mut route = None;
    for (index, attr) in item.attrs.iter().enumerate() {
        if is_cors(attr) {
            let help = "a handler has one policy: merge the keys into one `#[cors(...)]`";
            cx.error_spanned(attr, with_help("duplicate `#[cors]` attribute", help));
            continue;
        }
        let Some(kind) = kind(attr) else { continue };
        if let Kind::Unsupported(help) = kind {
            let name = attr.path().to_token_stream().to_string().replace(' ', "");
            cx.error_spanned(attr, with_help(format!("`#[cors]` cannot be used with `#[{name}]`"), help));
            return None;
        }
        if route.is_some() {
            let help =
                "use one `#[route(\"/path\", method = \"GET\", method = \"POST\")]` for several methods on one path";
            cx.error_spanned(attr, with_help("`#[cors]` supports one route attribute per handler", help));
            return None;
        }
        route = Some((index, kind));
    }
    let Some((index, kind)) = route else {
        cx.error(Span::call_site(), with_help(PLACEMENT, PLACEMENT_HELP));
        return None;
    };
    // Malformed route arguments are actix's to report, with its own wording.
    let route = RouteAttr::read(index, &item.attrs[index], kind)?;
    Some(Handler { item, route })
}

/// The item to emit when `#[cors]` fails: the user's item unchanged, except
/// that a second route attribute is dropped (actix itself turns one fn with
/// two route attributes into a confusing trait error, on top of ours).
pub(crate) fn fallback_item(item: TokenStream) -> TokenStream {
    let Ok(mut f) = syn::parse2::<ItemFn>(item.clone()) else { return item };
    let mut routes = 0;
    f.attrs.retain(|attr| {
        let is_route = matches!(kind(attr), Some(Kind::Method(_) | Kind::Route));
        routes += usize::from(is_route);
        !is_route || routes == 1
    });
    if routes > 1 {
        f.into_token_stream()
    } else {
        item
    }
}

/// The first tokens of an item, up to its name: what an error about the
/// item as a whole should underline.
fn item_head(item: &Item) -> TokenStream {
    macro_rules! head {
        ($i:expr, $keyword:ident) => {{
            let (vis, keyword, ident) = (&$i.vis, &$i.$keyword, &$i.ident);
            quote!(#vis #keyword #ident)
        }};
    }
    match item {
        Item::Struct(i) => head!(i, struct_token),
        Item::Enum(i) => head!(i, enum_token),
        Item::Mod(i) => head!(i, mod_token),
        Item::Trait(i) => head!(i, trait_token),
        Item::Const(i) => head!(i, const_token),
        Item::Static(i) => head!(i, static_token),
        Item::Type(i) => head!(i, type_token),
        Item::Impl(i) => {
            let (keyword, ty) = (&i.impl_token, &i.self_ty);
            quote!(#keyword #ty)
        }
        other => other.to_token_stream(),
    }
}

/// The arguments of an actix route attribute: a path literal, then
/// `name = value` options.
struct RouteArgs {
    path: LitStr,
    options: Vec<MetaNameValue>,
}

impl Parse for RouteArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path = input.parse()?;
        let mut options = Vec::new();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            options.push(input.parse()?);
        }
        Ok(RouteArgs { path, options })
    }
}

fn string_value(expr: &Expr) -> Option<&LitStr> {
    match expr {
        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => Some(s),
        _ => None,
    }
}

impl RouteAttr {
    fn read(index: usize, attr: &Attribute, kind: Kind) -> Option<RouteAttr> {
        let args: RouteArgs = attr.parse_args().ok()?;
        let methods = match kind {
            Kind::Method(method) => vec![method.to_owned()],
            Kind::Route => {
                let mut methods = Vec::new();
                for option in args.options.iter().filter(|o| o.path.is_ident("method")) {
                    methods.push(string_value(&option.value)?.value());
                }
                methods
            }
            Kind::Unsupported(_) => return None,
        };
        if methods.is_empty() {
            return None;
        }
        Some(RouteAttr { index, attr_path: attr.path().clone(), path: args.path, options: args.options, methods })
    }

    /// The handler's attributes with this route attribute given the
    /// policy's layer as its first `wrap = "..."`, so it is the innermost:
    /// the user's own `wrap`s see its decorated responses.
    pub(crate) fn wrapped_attrs(&self, attrs: &[Attribute], wrap: &LitStr) -> Vec<Attribute> {
        let (path, lit, options) = (&self.attr_path, &self.path, &self.options);
        let mut attrs = attrs.to_vec();
        attrs[self.index] = if self.methods.iter().any(|m| m == "OPTIONS") {
            // Preflights belong to the route's policy, never to its
            // handler: an `OPTIONS` route would otherwise take every
            // preflight on its path (the other routes' method guards
            // already refuse `OPTIONS`).
            let guard = LitStr::new("::cors_actix::__private::not_a_preflight", wrap.span());
            syn::parse_quote!(#[#path(#lit, guard = #guard, wrap = #wrap #(, #options)*)])
        } else {
            syn::parse_quote!(#[#path(#lit, wrap = #wrap #(, #options)*)])
        };
        attrs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn read_ok(item: TokenStream) -> Handler {
        let mut cx = Ctxt::new();
        let handler = read(item, &mut cx);
        assert!(cx.finish().is_ok());
        handler.unwrap()
    }

    fn read_err(item: TokenStream) -> String {
        let mut cx = Ctxt::new();
        assert!(read(item, &mut cx).is_none());
        cx.finish().unwrap_err().to_string()
    }

    #[test]
    fn method_attributes_however_imported() {
        for (attr, method) in [
            (quote!(#[get("/a")]), "GET"),
            (quote!(#[actix_web::post("/a")]), "POST"),
            (quote!(#[web::put("/a", name = "n")]), "PUT"),
            (quote!(#[delete("/a",)]), "DELETE"),
        ] {
            let handler = read_ok(quote!(#attr async fn h() -> &'static str { "" }));
            assert_eq!(handler.route.methods, [method]);
            assert_eq!(handler.route.path.value(), "/a");
        }
    }

    #[test]
    fn route_lists_every_method() {
        let handler = read_ok(quote! {
            #[doc = "x"]
            #[route("/a/{id}", method = "GET", method = "POST", guard = "g")]
            async fn h() -> &'static str { "" }
        });
        assert_eq!(handler.route.methods, ["GET", "POST"]);
        assert_eq!(handler.route.index, 1);
    }

    #[test]
    fn preflight_guard_and_wrap_come_first() {
        let handler = read_ok(quote!(
            #[get("/a", wrap = "W")]
            async fn h() -> u8 {
                0
            }
        ));
        let wrap = LitStr::new("X", Span::call_site());
        let attrs = handler.route.wrapped_attrs(&handler.item.attrs, &wrap);
        assert_eq!(attrs[0].to_token_stream().to_string(), quote!(#[get("/a", wrap = "X", wrap = "W")]).to_string());
        let handler = read_ok(quote!(
            #[route("/a", method = "OPTIONS", wrap = "W")]
            async fn h() -> u8 {
                0
            }
        ));
        let attrs = handler.route.wrapped_attrs(&handler.item.attrs, &wrap);
        assert_eq!(
            attrs[0].to_token_stream().to_string(),
            quote!(#[route("/a", guard = "::cors_actix::__private::not_a_preflight", wrap = "X", method = "OPTIONS", wrap = "W")])
                .to_string()
        );
    }

    #[test]
    fn missing_route_attribute() {
        assert!(read_err(quote!(
            async fn h() -> u8 {
                0
            }
        ))
        .starts_with(PLACEMENT));
    }

    #[test]
    fn not_a_function() {
        assert!(read_err(quote!(
            struct S;
        ))
        .starts_with("`#[cors]` can only be applied to a handler function"));
    }

    #[test]
    fn unsupported_attributes() {
        assert!(read_err(quote!(
            #[routes]
            #[get("/a")]
            async fn h() -> u8 {
                0
            }
        ))
        .starts_with("`#[cors]` cannot be used with `#[routes]`"));
        assert!(read_err(quote!(
            #[get("/a")]
            #[post("/a")]
            async fn h() -> u8 {
                0
            }
        ))
        .starts_with("`#[cors]` supports one route"));
    }

    #[test]
    fn fallback_keeps_one_route_attribute() {
        let two = quote!(
            #[get("/a")]
            #[doc = "d"]
            #[post("/a")]
            async fn h() -> u8 {
                0
            }
        );
        let one = quote!(
            #[get("/a")]
            #[doc = "d"]
            async fn h() -> u8 {
                0
            }
        );
        assert_eq!(fallback_item(two).to_string(), one.to_string());
        let other = quote!(
            struct S;
        );
        assert_eq!(fallback_item(other.clone()).to_string(), other.to_string());
    }

    #[test]
    fn malformed_route_arguments_are_left_to_actix() {
        let mut cx = Ctxt::new();
        assert!(read(
            quote!(
                #[get(5)]
                async fn h() -> u8 {
                    0
                }
            ),
            &mut cx
        )
        .is_none());
        assert!(read(
            quote!(
                #[route("/a")]
                async fn h() -> u8 {
                    0
                }
            ),
            &mut cx
        )
        .is_none());
        assert!(cx.finish().is_ok());
    }
}
