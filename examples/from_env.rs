//! A global CORS policy read at run time: from environment variables with
//! the builder, or from a JSON document with the `serde` feature's
//! `PolicyConfig`. Same rules as the `#[cors]` attribute; errors are values
//! and are printed, never a panic.
//!
//! ```text
//! ALLOWED_ORIGINS=https://app.example.com,https://*.example.com cargo run --example from_env
//! CORS_CONFIG='{"origins": ["https://app.example.com"], "credentials": true}' cargo run --example from_env
//! ALLOWED_ORIGINS='https://app.example.com/' cargo run --example from_env    # refused: trailing slash
//! ```
use actix_web::{get, App, HttpServer, Responder};
use cors_actix::{Cors, CorsPolicy, PolicyConfig, PolicyError};

#[get("/health")]
async fn health() -> impl Responder {
    "ok"
}

fn policy_from_env() -> Result<CorsPolicy, String> {
    if let Ok(json) = std::env::var("CORS_CONFIG") {
        let config: PolicyConfig = serde_json::from_str(&json).map_err(|e| format!("CORS_CONFIG: {e}"))?;
        return config.into_policy().map_err(|e: PolicyError| e.to_string());
    }
    let origins = std::env::var("ALLOWED_ORIGINS").unwrap_or_else(|_| "http://localhost:3000".to_owned());
    CorsPolicy::builder()
        .origins(origins.split(','))
        .credentials(std::env::var("ALLOW_CREDENTIALS").is_ok_and(|v| v == "true"))
        .max_age(600)
        .build()
        .map_err(|e| e.to_string())
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // `RUST_LOG=cors_actix=debug` shows every refusal with its reason.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let policy = match policy_from_env() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let addr = std::env::var("FROM_ENV_ADDR").unwrap_or_else(|_| "127.0.0.1:8082".to_owned());
    println!("global CORS policy: {policy}");
    println!("serving on http://{addr}  (Ctrl-C to stop)");
    HttpServer::new(move || App::new().wrap(Cors::new(policy.clone())).service(health)).bind(addr)?.run().await
}
