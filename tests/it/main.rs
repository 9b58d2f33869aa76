//! Integration tests: each builds real sites in temp folders with the real
//! `recap` binary and inspects the files it wrote.

mod server;
mod support;

mod build;
mod crash;
mod deploy;
mod errors;
mod events;
mod example_site;
mod external_links;
mod fuzz;
mod hostile;
mod hugo_import;
mod i18n;
mod images;
mod incremental;
mod jekyll_import;
mod lints;
mod output_safety;
mod publish;
mod render_hooks;
mod scaffold;
mod scheduling;
mod serve;
mod serve_hardening;
mod shortcodes;
mod site_grammars;
mod social;
mod theme;
