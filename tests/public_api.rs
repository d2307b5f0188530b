//! The public API of each published crate, compared with its committed
//! snapshot in `api/<crate>.txt`.
//!
//! The listing comes from rustdoc's JSON output, which stable rustdoc
//! writes when `RUSTC_BOOTSTRAP=1` allows its unstable flag, so no nightly
//! toolchain is needed. It is read as plain JSON with `serde_json`, field by
//! field, rather than with a crate tied to one JSON format version, which
//! would break at every toolchain update. Each line is one public item (with
//! its signature, types by their last path segment), one public field or
//! variant, or one trait implemented for a public type; lines are sorted.
//!
//! When the API changes on purpose, regenerate the snapshots and say so in
//! `CHANGELOG.md`'s "Unreleased" section (see CONTRIBUTING.md):
//!
//! ```text
//! UPDATE_PUBLIC_API=1 cargo test --test public_api
//! ```

use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

const CRATES: &[&str] = &["cors-core", "cors-macros", "cors-actix"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs rustdoc's JSON output for `krate` (all features) in a target
/// directory of its own, so it never waits for the lock of the build that
/// runs this test.
fn rustdoc_json(krate: &str) -> Value {
    let target = root().join("target").join("public-api");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(root())
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTDOCFLAGS")
        .args(["rustdoc", "-q", "--lib", "--all-features", "-p", krate, "--target-dir"])
        .arg(&target)
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "rustdoc JSON for {krate} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let file = target.join("doc").join(format!("{}.json", krate.replace('-', "_")));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    serde_json::from_str(&text).expect("rustdoc writes JSON")
}

/// Walks the crate from its root module, following public modules and
/// public `use` re-exports.
struct Lister<'a> {
    index: &'a Map<String, Value>,
    /// (the item's path, the line): lines sort under the item they are about.
    lines: BTreeSet<(String, String)>,
}

thread_local! {
    /// The last path segment of every item rustdoc knows by id, for the
    /// paths it leaves empty (the trait of `<F as Handler>::Output`).
    static NAMES: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// The auto traits that matter to users; the others (`Freeze`,
/// `UnsafeUnpin`, …) change with the toolchain, not with this code.
const AUTO_TRAITS: &[&str] = &["Send", "Sync", "Unpin"];

fn id_key(id: &Value) -> String {
    match id {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

fn str_of<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn kind_of(item: &Value) -> (&str, &Value) {
    match item.get("inner") {
        Some(Value::Object(m)) => m.iter().next().map(|(k, v)| (k.as_str(), v)).unwrap_or(("", &Value::Null)),
        Some(Value::String(s)) => (s.as_str(), &Value::Null),
        _ => ("", &Value::Null),
    }
}

fn is_public(item: &Value) -> bool {
    item.get("visibility").and_then(Value::as_str) == Some("public")
}

impl<'a> Lister<'a> {
    fn add(&mut self, path: &str, line: String) {
        self.lines.insert((path.to_owned(), line));
    }

    fn item(&self, id: &Value) -> Option<&'a Value> {
        self.index.get(&id_key(id))
    }

    fn module(&mut self, prefix: &str, module: &Value) {
        for id in elements(module.get("items")) {
            let Some(item) = self.item(id) else { continue };
            if !is_public(item) {
                continue;
            }
            let (kind, inner) = kind_of(item);
            if kind == "use" {
                self.reexport(prefix, inner);
            } else {
                let name = str_of(item, "name").to_owned();
                self.public_item(&format!("{prefix}::{name}"), item);
            }
        }
    }

    fn reexport(&mut self, prefix: &str, use_: &Value) {
        let name = str_of(use_, "name");
        let source = str_of(use_, "source");
        if use_.get("is_glob").and_then(Value::as_bool) == Some(true) {
            self.add(prefix, format!("pub use {prefix}::* (from {source})"));
            return;
        }
        let target = use_.get("id").filter(|id| !id.is_null());
        match target.and_then(|id| self.item(id)) {
            Some(item) => self.public_item(&format!("{prefix}::{name}"), item),
            None => {
                // An item of another crate: its API is that crate's snapshot.
                let path = format!("{prefix}::{name}");
                self.add(&path, format!("pub use {path} = {source}"));
            }
        }
    }

    fn public_item(&mut self, path: &str, item: &Value) {
        let (kind, inner) = kind_of(item);
        match kind {
            "module" => {
                self.add(path, format!("pub mod {path}"));
                self.module(path, inner);
            }
            "struct" => {
                self.add(path, format!("pub struct {path}{}", generics(inner.get("generics"))));
                let struct_kind = inner.get("kind").unwrap_or(&Value::Null);
                if let Some(plain) = struct_kind.get("plain") {
                    self.fields(path, plain.get("fields"));
                } else if let Some(tuple) = struct_kind.get("tuple") {
                    self.tuple_fields(path, tuple);
                }
                self.impls(path, inner.get("impls"));
            }
            "enum" => {
                self.add(path, format!("pub enum {path}{}", generics(inner.get("generics"))));
                for id in elements(inner.get("variants")) {
                    if let Some(variant) = self.item(id) {
                        self.variant(path, variant);
                    }
                }
                self.impls(path, inner.get("impls"));
            }
            "function" => {
                self.add(path, format!("pub {}", function(path, inner)));
            }
            "trait" => {
                self.add(path, format!("pub trait {path}{}", generics(inner.get("generics"))));
                for id in elements(inner.get("items")) {
                    if let Some(member) = self.item(id) {
                        self.member(path, member, "");
                    }
                }
            }
            "type_alias" => {
                let ty = render_type(inner.get("type").unwrap_or(&Value::Null));
                self.add(path, format!("pub type {path}{} = {ty}", generics(inner.get("generics"))));
            }
            "constant" => {
                let ty = render_type(inner.get("type").unwrap_or(&Value::Null));
                self.add(path, format!("pub const {path}: {ty}"));
            }
            "static" => {
                let ty = render_type(inner.get("type").unwrap_or(&Value::Null));
                self.add(path, format!("pub static {path}: {ty}"));
            }
            "macro" => {
                self.add(path, format!("pub macro {path}!"));
            }
            "proc_macro" => {
                let macro_kind = str_of(inner, "kind");
                let shown = if macro_kind == "bang" { format!("{path}!") } else { path.to_owned() };
                self.add(path, format!("pub proc_macro({macro_kind}) {shown}"));
            }
            other => {
                self.add(path, format!("pub {other} {path}"));
            }
        }
    }

    fn fields(&mut self, path: &str, fields: Option<&Value>) {
        for id in elements(fields) {
            let Some(field) = self.item(id) else { continue };
            if is_public(field) {
                let (_, ty) = kind_of(field);
                let field_path = format!("{path}::{}", str_of(field, "name"));
                self.add(&field_path, format!("pub field {field_path}: {}", render_type(ty)));
            }
        }
    }

    fn tuple_fields(&mut self, path: &str, fields: &Value) {
        for (n, id) in fields.as_array().into_iter().flatten().enumerate() {
            let Some(field) = self.item(id) else { continue };
            if is_public(field) {
                let (_, ty) = kind_of(field);
                let field_path = format!("{path}::{n}");
                self.add(&field_path, format!("pub field {field_path}: {}", render_type(ty)));
            }
        }
    }

    fn variant(&mut self, path: &str, variant: &Value) {
        let name = str_of(variant, "name");
        let (_, inner) = kind_of(variant);
        let kind = inner.get("kind").unwrap_or(&Value::Null);
        let shape = if let Some(tuple) = kind.get("tuple") {
            let types: Vec<String> = tuple
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|id| self.item(id))
                .map(|field| render_type(kind_of(field).1))
                .collect();
            format!("({})", types.join(", "))
        } else if let Some(fields) = kind.get("struct") {
            let names: Vec<String> = elements(fields.get("fields"))
                .filter_map(|id| self.item(id))
                .map(|field| format!("{}: {}", str_of(field, "name"), render_type(kind_of(field).1)))
                .collect();
            format!(" {{ {} }}", names.join(", "))
        } else {
            String::new()
        };
        let variant_path = format!("{path}::{name}");
        self.add(&variant_path, format!("pub variant {variant_path}{shape}"));
    }

    fn impls(&mut self, path: &str, impls: Option<&Value>) {
        for id in elements(impls) {
            let Some(imp) = self.item(id) else { continue };
            let (_, inner) = kind_of(imp);
            if inner.get("blanket_impl").is_some_and(|b| !b.is_null()) {
                continue;
            }
            match inner.get("trait").filter(|t| !t.is_null()) {
                Some(tr) => {
                    let negative =
                        if inner.get("is_negative").and_then(Value::as_bool) == Some(true) { "!" } else { "" };
                    let for_ = render_type(inner.get("for").unwrap_or(&Value::Null));
                    let generics = generics(inner.get("generics"));
                    let trait_ = render_path(tr);
                    let is_synthetic = inner.get("is_synthetic").and_then(Value::as_bool) == Some(true);
                    if is_synthetic && !AUTO_TRAITS.contains(&trait_.as_str()) {
                        continue;
                    }
                    self.add(path, format!("impl{generics} {negative}{trait_} for {for_}"));
                }
                None => {
                    for member in elements(inner.get("items")) {
                        if let Some(member) = self.item(member) {
                            if is_public(member) {
                                self.member(path, member, "pub ");
                            }
                        }
                    }
                }
            }
        }
    }

    fn member(&mut self, path: &str, member: &Value, vis: &str) {
        let name = str_of(member, "name");
        let (kind, inner) = kind_of(member);
        let line = match kind {
            "function" => function(&format!("{path}::{name}"), inner),
            "assoc_const" | "constant" => {
                format!("const {path}::{name}: {}", render_type(inner.get("type").unwrap_or(&Value::Null)))
            }
            "assoc_type" => format!("type {path}::{name}"),
            other => format!("{other} {path}::{name}"),
        };
        self.add(&format!("{path}::{name}"), format!("{vis}{line}"));
    }
}

fn function(path: &str, inner: &Value) -> String {
    let header = inner.get("header").unwrap_or(&Value::Null);
    let flag = |k: &str| header.get(k).and_then(Value::as_bool) == Some(true);
    let mut out = String::new();
    for (k, word) in [("is_const", "const "), ("is_async", "async "), ("is_unsafe", "unsafe ")] {
        if flag(k) {
            out.push_str(word);
        }
    }
    let sig = inner.get("sig").unwrap_or(&Value::Null);
    let inputs: Vec<String> = elements(sig.get("inputs"))
        .map(|pair| {
            let name = pair.get(0).and_then(Value::as_str).unwrap_or("_");
            let ty = render_type(pair.get(1).unwrap_or(&Value::Null));
            match (name, ty.as_str()) {
                ("self", "Self") => "self".to_owned(),
                ("self", "&Self") => "&self".to_owned(),
                ("self", "&mut Self") => "&mut self".to_owned(),
                _ => format!("{name}: {ty}"),
            }
        })
        .collect();
    let output = match sig.get("output") {
        Some(ty) if !ty.is_null() => format!(" -> {}", render_type(ty)),
        _ => String::new(),
    };
    let generics_value = inner.get("generics");
    out.push_str(&format!(
        "fn {path}{}({}){output}{}",
        generics(generics_value),
        inputs.join(", "),
        wheres(generics_value)
    ));
    out
}

/// The elements of a JSON array; none when it is missing or not an array.
fn elements(list: Option<&Value>) -> impl Iterator<Item = &Value> {
    list.and_then(Value::as_array).into_iter().flatten()
}

/// `parts` joined by commas between `open` and `close`; nothing at all
/// when there are no parts.
fn enclosed(open: &str, parts: &[String], close: &str) -> String {
    if parts.is_empty() {
        String::new()
    } else {
        format!("{open}{}{close}", parts.join(", "))
    }
}

fn generics(generics: Option<&Value>) -> String {
    let params: Vec<String> = elements(generics.and_then(|g| g.get("params")))
        .filter_map(|p| {
            let name = str_of(p, "name");
            let kind = p.get("kind")?;
            if let Some(ty) = kind.get("type") {
                if ty.get("is_synthetic").and_then(Value::as_bool) == Some(true) {
                    return None;
                }
                let bounds = bounds(ty.get("bounds"));
                Some(if bounds.is_empty() { name.to_owned() } else { format!("{name}: {bounds}") })
            } else if let Some(c) = kind.get("const") {
                Some(format!("const {name}: {}", render_type(c.get("type").unwrap_or(&Value::Null))))
            } else {
                Some(name.to_owned())
            }
        })
        .collect();
    enclosed("<", &params, ">")
}

fn wheres(generics: Option<&Value>) -> String {
    let preds: Vec<String> = elements(generics.and_then(|g| g.get("where_predicates")))
        .filter_map(|p| {
            let b = p.get("bound_predicate")?;
            Some(format!("{}: {}", render_type(b.get("type").unwrap_or(&Value::Null)), bounds(b.get("bounds"))))
        })
        .collect();
    enclosed(" where ", &preds, "")
}

fn bounds(bounds: Option<&Value>) -> String {
    let parts: Vec<String> = elements(bounds)
        .map(|b| {
            if let Some(t) = b.get("trait_bound") {
                let modifier = if str_of(t, "modifier") == "maybe" { "?" } else { "" };
                format!("{modifier}{}", render_path(t.get("trait").unwrap_or(&Value::Null)))
            } else if let Some(l) = b.get("outlives").and_then(Value::as_str) {
                l.to_owned()
            } else {
                "?".to_owned()
            }
        })
        .collect();
    parts.join(" + ")
}

fn render_path(path: &Value) -> String {
    let full = str_of(path, "path");
    let mut last = full.rsplit("::").next().unwrap_or(full).to_owned();
    if last.is_empty() {
        let key = path.get("id").map(id_key).unwrap_or_default();
        last = NAMES.with(|names| names.borrow().get(&key).cloned()).unwrap_or_default();
    }
    format!("{last}{}", render_args(path.get("args")))
}

fn render_args(args: Option<&Value>) -> String {
    let Some(args) = args.filter(|a| !a.is_null()) else { return String::new() };
    if let Some(angle) = args.get("angle_bracketed") {
        let mut parts: Vec<String> = elements(angle.get("args"))
            .map(|a| {
                if let Some(l) = a.get("lifetime").and_then(Value::as_str) {
                    l.to_owned()
                } else if let Some(t) = a.get("type") {
                    render_type(t)
                } else if let Some(c) = a.get("const") {
                    str_of(c, "expr").to_owned()
                } else {
                    "_".to_owned()
                }
            })
            .collect();
        for c in elements(angle.get("constraints")) {
            let name = str_of(c, "name");
            let binding = c.get("binding").unwrap_or(&Value::Null);
            if let Some(eq) = binding.get("equality") {
                let value = eq.get("type").map(render_type).unwrap_or_else(|| "_".to_owned());
                parts.push(format!("{name} = {value}"));
            } else if let Some(b) = binding.get("constraint") {
                parts.push(format!("{name}: {}", bounds(Some(b))));
            }
        }
        enclosed("<", &parts, ">")
    } else if let Some(p) = args.get("parenthesized") {
        let inputs: Vec<String> = elements(p.get("inputs")).map(render_type).collect();
        let output = match p.get("output") {
            Some(o) if !o.is_null() => format!(" -> {}", render_type(o)),
            _ => String::new(),
        };
        format!("({}){output}", inputs.join(", "))
    } else {
        String::new()
    }
}

fn render_type(ty: &Value) -> String {
    let Some((kind, v)) = ty.as_object().and_then(|m| m.iter().next()) else {
        return ty.as_str().unwrap_or("?").to_owned();
    };
    match kind.as_str() {
        "resolved_path" => render_path(v),
        "generic" | "primitive" => v.as_str().unwrap_or("?").to_owned(),
        "borrowed_ref" => {
            let lifetime = v.get("lifetime").and_then(Value::as_str).map(|l| format!("{l} ")).unwrap_or_default();
            let mutable = if v.get("is_mutable").and_then(Value::as_bool) == Some(true) { "mut " } else { "" };
            format!("&{lifetime}{mutable}{}", render_type(v.get("type").unwrap_or(&Value::Null)))
        }
        "raw_pointer" => {
            let mutable = if v.get("is_mutable").and_then(Value::as_bool) == Some(true) { "mut" } else { "const" };
            format!("*{mutable} {}", render_type(v.get("type").unwrap_or(&Value::Null)))
        }
        "tuple" => {
            let items: Vec<String> = v.as_array().into_iter().flatten().map(render_type).collect();
            format!("({})", items.join(", "))
        }
        "slice" => format!("[{}]", render_type(v)),
        "array" => format!("[{}; {}]", render_type(v.get("type").unwrap_or(&Value::Null)), str_of(v, "len")),
        "impl_trait" => format!("impl {}", bounds(Some(v))),
        "dyn_trait" => {
            let traits: Vec<String> =
                elements(v.get("traits")).map(|t| render_path(t.get("trait").unwrap_or(&Value::Null))).collect();
            format!("dyn {}", traits.join(" + "))
        }
        "qualified_path" => {
            let self_type = render_type(v.get("self_type").unwrap_or(&Value::Null));
            let name = str_of(v, "name");
            match v.get("trait").filter(|t| !t.is_null()) {
                Some(tr) => format!("<{self_type} as {}>::{name}", render_path(tr)),
                None => format!("{self_type}::{name}"),
            }
        }
        "function_pointer" => "fn(..)".to_owned(),
        "infer" => "_".to_owned(),
        other => format!("<{other}>"),
    }
}

/// The listing of `krate`'s public API, one line per item.
fn listing(krate: &str) -> String {
    let json = rustdoc_json(krate);
    let index = json["index"].as_object().expect("an index");
    let paths = json["paths"].as_object().expect("paths");
    let root_item = &index[&id_key(&json["root"])];
    let name = str_of(root_item, "name").to_owned();
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        names.clear();
        for (id, summary) in paths {
            let last = summary.get("path").and_then(Value::as_array).and_then(|p| p.last()).and_then(Value::as_str);
            names.insert(id.clone(), last.unwrap_or("").to_owned());
        }
    });
    let mut lister = Lister { index, lines: BTreeSet::new() };
    lister.module(&name, kind_of(root_item).1);
    let mut out = String::new();
    for (_, line) in &lister.lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn snapshot_path(krate: &str) -> PathBuf {
    root().join("api").join(format!("{krate}.txt"))
}

fn first_difference(old: &str, new: &str) -> String {
    let old: BTreeSet<&str> = old.lines().collect();
    let new: BTreeSet<&str> = new.lines().collect();
    let mut out = String::new();
    for gone in old.difference(&new).take(20) {
        out.push_str(&format!("- {gone}\n"));
    }
    for added in new.difference(&old).take(20) {
        out.push_str(&format!("+ {added}\n"));
    }
    out
}

#[test]
fn the_public_api_matches_its_snapshot() {
    let update = std::env::var_os("UPDATE_PUBLIC_API").is_some();
    let mut changed = Vec::new();
    for krate in CRATES {
        let now = listing(krate);
        let path = snapshot_path(krate);
        let before = std::fs::read_to_string(&path).unwrap_or_default();
        if now == before {
            continue;
        }
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &now).unwrap();
            eprintln!("updated {}", relative(&path));
        } else {
            changed.push(format!("{}:\n{}", relative(&path), first_difference(&before, &now)));
        }
    }
    assert!(
        changed.is_empty(),
        "the public API changed:\n\n{}\nIf this is intended, regenerate the snapshots with\n\n    \
         UPDATE_PUBLIC_API=1 cargo test --test public_api\n\nand add a line to CHANGELOG.md's \
         \"Unreleased\" section saying what changed for users (see CONTRIBUTING.md).",
        changed.join("\n")
    );
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}
