//! Integration tests: each test starts the real server on a random port with a fresh database
//! (SQLite always; PostgreSQL too when `TEST_DATABASE_URL` is set) and talks HTTP to it.

// A failing expectation in a test is a test failure, which is what panicking means here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod auth;
mod browser;
mod browser_hints;
mod browser_layout;
mod browser_offline;
mod cli;
mod community;
mod companies;
mod crash;
mod errors;
mod health;
mod hints;
mod hints_quality;
mod leaks;
mod leaks_caching;
mod leaks_holes;
mod leaks_scim;
mod learning;
mod lessons;
mod messages;
mod pages;
mod pages_app;
mod pages_budget;
mod pages_errors;
mod pages_extractors;
mod pages_lessons;
mod pages_today;
mod relevance;
mod review_workflow;
mod route_policy;
mod search;
mod security;
mod xss;
