//! sellerbase: a confidential community where B2B sellers learn in the moment of need.

pub mod backup;
pub mod bench;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod http;
pub mod markdown;
pub mod messages;
pub mod metrics;
pub mod policy;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;

#[cfg(test)]
mod robustness_tests;
