//! Tenants' origins that change while the server runs: loaded at start from
//! a file (`TENANTS_FILE`, one origin per line) or the environment
//! (`TENANT_ORIGINS`, comma-separated), and extended through an admin
//! endpoint that swaps the global policy with `CorsHandle::replace` — no
//! restart, and every worker uses the new policy from its next request.
//!
//! ```text
//! TENANT_ORIGINS=https://acme.example ADMIN_TOKEN=secret cargo run --example multi_tenant
//! curl -X POST -H 'x-admin-token: secret' --data 'https://globex.example' http://127.0.0.1:8083/admin/tenants
//! ```
//!
//! `tests/multi_tenant.rs` drives the same app with the in-process browser.

use actix_web::{get, post, web, App, HttpRequest, HttpResponse, HttpServer, Responder};
use cors_actix::{Cors, CorsHandle, CorsPolicy, PolicyError};
use std::sync::Mutex;

/// The tenants' origins and the handle that publishes them.
pub struct Tenants {
    origins: Mutex<Vec<String>>,
    handle: CorsHandle,
    admin_token: String,
}

impl Tenants {
    /// The global policy for a set of tenant origins: their pages call the
    /// API with the user's cookies.
    pub fn policy(origins: &[String]) -> Result<CorsPolicy, PolicyError> {
        CorsPolicy::builder()
            .origins(origins)
            .methods(["GET", "POST"])
            .allow_headers(["content-type"])
            .credentials(true)
            .max_age(600)
            .build()
    }

    /// The reloadable `Cors` for `origins`, and the tenants behind it.
    pub fn new(origins: Vec<String>, admin_token: String) -> Result<(Cors, web::Data<Tenants>), PolicyError> {
        let (cors, handle) = Cors::reloadable(Tenants::policy(&origins)?);
        Ok((cors, web::Data::new(Tenants { origins: Mutex::new(origins), handle, admin_token })))
    }

    /// Adds a tenant's origin. A value the policy refuses (a typo, a path,
    /// `http://` with credentials...) changes nothing and says why.
    pub fn add(&self, origin: &str) -> Result<(), String> {
        let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        if origins.iter().any(|o| o == origin) {
            return Ok(());
        }
        let mut next = origins.clone();
        next.push(origin.trim().to_owned());
        let policy = Tenants::policy(&next).map_err(|e| e.to_string())?;
        self.handle.replace(policy).map_err(|e| e.to_string())?;
        *origins = next;
        Ok(())
    }
}

/// The tenants at start: `TENANTS_FILE`, else `TENANT_ORIGINS`.
pub fn load_origins() -> Result<Vec<String>, String> {
    let text = match std::env::var("TENANTS_FILE") {
        Ok(path) => std::fs::read_to_string(&path).map_err(|e| format!("TENANTS_FILE {path}: {e}"))?,
        Err(_) => {
            std::env::var("TENANT_ORIGINS").unwrap_or_else(|_| "https://acme.example".to_owned()).replace(',', "\n")
        }
    };
    Ok(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect())
}

#[get("/api/orders")]
async fn orders() -> impl Responder {
    HttpResponse::Ok().json(["order-1", "order-2"])
}

/// `POST /admin/tenants` with the origin as the body and the admin token in
/// `x-admin-token`: 204 once the new policy is in use, 400 with the reason
/// when it is refused.
#[post("/admin/tenants")]
async fn add_tenant(req: HttpRequest, body: String, tenants: web::Data<Tenants>) -> impl Responder {
    let token = req.headers().get("x-admin-token").and_then(|v| v.to_str().ok());
    if token != Some(tenants.admin_token.as_str()) {
        return HttpResponse::Unauthorized().finish();
    }
    match tenants.add(body.trim()) {
        Ok(()) => {
            log::info!("tenant origin added: {}", body.trim());
            HttpResponse::NoContent().finish()
        }
        Err(reason) => HttpResponse::BadRequest().body(reason),
    }
}

/// The app's routes (also used by `tests/multi_tenant.rs`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(orders).service(add_tenant);
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // `RUST_LOG=cors_actix=debug` shows every refusal with its reason.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let origins = load_origins().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let token = std::env::var("ADMIN_TOKEN").unwrap_or_else(|_| {
        eprintln!("set ADMIN_TOKEN to protect POST /admin/tenants");
        std::process::exit(2);
    });
    let (cors, tenants) = Tenants::new(origins.clone(), token).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let addr = std::env::var("MULTI_TENANT_ADDR").unwrap_or_else(|_| "127.0.0.1:8083".to_owned());
    println!("tenant origins: {origins:?}");
    println!("serving on http://{addr}  (Ctrl-C to stop)");
    HttpServer::new(move || App::new().wrap(cors.clone()).app_data(tenants.clone()).configure(routes))
        .bind(addr)?
        .run()
        .await
}
