//! recap: a static site generator for event recaps.
//!
//! The modules follow the pipeline: [`config`] → [`content`] (loading, front
//! matter) → [`markdown`] → [`site`] (the model) → [`render`] (templates and
//! pages) → [`output`] (staging and the atomic swap). [`pipeline`] runs them
//! in order; [`cli`] is the command line.

// Diagnostics are large but travel only on the error path, once per problem.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod import;
pub mod lint;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod url_safety;
