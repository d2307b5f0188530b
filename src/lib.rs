//! Workspace-level tests and examples for cors-actix; no library code lives here.
