//! Integration tests: each builds real sites in temp folders with the real
//! `recap` binary and inspects the files it wrote.

mod support;

mod build;
mod errors;
mod output_safety;
mod publish;
