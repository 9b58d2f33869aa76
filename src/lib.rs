//! recap: a static site generator for event recaps.
//!
//! The modules follow the pipeline: [`config`] → [`content`] (loading, front
//! matter) → [`markdown`] → [`site`] (the model) → [`render`] (templates and
//! pages) → [`output`] (staging and the atomic swap). [`pipeline`] runs them
//! in order; [`cli`] is the command line.

// Diagnostics are large but travel only on the error path, once per problem.
#![allow(clippy::result_large_err)]

pub(crate) mod cache_files;
pub mod cli;
pub(crate) mod config;
pub(crate) mod content;
pub(crate) mod diagnostics;
pub(crate) mod images;
pub(crate) mod import;
pub(crate) mod link_check;
pub(crate) mod lint;
pub(crate) mod locate;
pub(crate) mod markdown;
pub(crate) mod output;
pub(crate) mod pipeline;
pub(crate) mod render;
pub(crate) mod scaffold;
pub(crate) mod serve;
pub(crate) mod site;
pub(crate) mod url_safety;

#[cfg(test)]
mod fixture_tests;
