//! Layerlens core: one lossless parse of a Dockerfile and every analysis built on it.
//!
//! Pure Rust, no web or OS dependencies, so the same code runs natively (CLI) and as
//! WebAssembly (playground). Nothing in here panics on any input.

pub mod analysis;
pub mod dockerignore;
pub mod fix;
pub mod instructions;
pub mod knowledge;
pub mod layers;
pub mod model;
pub mod optimize;
pub mod rules;
pub mod shell;
pub mod syntax;
pub mod text;
