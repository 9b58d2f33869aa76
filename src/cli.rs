//! The command line: parsing (clap), running a command, printing what
//! happened, and the exit status (0 success, 1 site error, 2 usage error).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::pipeline::{self, ExternalCheck, Mode, Report, Request};
use crate::serve::Console;

const EXAMPLES: &str = "\
Examples:
  recap build                          build the site in this folder into public/
  recap build --drafts -o /tmp/preview include drafts, write elsewhere
  recap build --base-url https://org.github.io/recaps
                                       one build for another address (preview deploys)
  recap check                          report every problem, write nothing
  recap serve --open                   preview at http://127.0.0.1:1111, reloading on every save
  recap init my-site                   start a new site
  recap new post 'KubeCon EU, day one' --event kubecon-eu-2025
  recap new event 'KubeCon EU 2025' --start 2025-04-01 --end 2025-04-04 --location 'London, UK'
  recap import jekyll ../old-blog      bring a Jekyll blog's posts over, old URLs kept
  recap import hugo ../old-blog        the same for a Hugo site (--section NAME: where its posts are)
  recap --root ~/sites/team build      build a site in another folder";

#[derive(Debug, Parser)]
#[command(
    name = "recap",
    version,
    about = "A static site generator for event recaps: conference write-ups, hackathon reports, meetup notes.",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// The site folder (the one with config.toml); default: this folder or the nearest parent with one
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Print only errors and warnings
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (config `output_dir`, default public/)
    #[command(after_help = EXAMPLES)]
    Build(BuildArgs),
    /// Do everything a build does except writing: front matter, links, templates
    Check(CheckArgs),
    /// Build in memory, serve on http://127.0.0.1:1111, rebuild and reload on every save
    Serve(ServeArgs),
    /// Create a new site: config, a sample event, post and author
    Init(InitArgs),
    /// Create a post or an event from an archetype
    #[command(subcommand)]
    New(NewCommand),
    /// Bring posts over from another generator
    #[command(subcommand)]
    Import(ImportCommand),
    /// List the languages code fences can name
    Languages,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A Jekyll site's _posts/ and _drafts/ into content/posts/, old URLs kept as aliases
    Jekyll {
        /// The Jekyll site (the folder with _config.yml and _posts/)
        src: PathBuf,
        /// The recap site to import into (default: this folder)
        #[arg(long, default_value = ".")]
        into: PathBuf,
    },
    /// A Hugo site's posts section, pages and static/ into recap, old URLs kept as aliases
    Hugo {
        /// The Hugo site (the folder with hugo.toml or config.toml)
        src: PathBuf,
        /// The recap site to import into (default: this folder)
        #[arg(long, default_value = ".")]
        into: PathBuf,
        /// The content section that holds the posts (default: posts, post, blog, articles or news, the first there is)
        #[arg(long)]
        section: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the new site (created if missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Add the starter files to a non-empty folder (existing files are never overwritten)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// content/posts/YYYY-MM-DD-<title>.md, dated today
    Post {
        /// The post's title
        title: String,
        /// Slug (or name) of the event the recap is about
        #[arg(long)]
        event: Option<String>,
    },
    /// content/events/<name>.md
    Event {
        /// The event's name
        name: String,
        /// First day, YYYY-MM-DD
        #[arg(long)]
        start: String,
        /// Last day, YYYY-MM-DD
        #[arg(long)]
        end: Option<String>,
        /// City and country, or "Online"
        #[arg(long)]
        location: Option<String>,
        /// conference (default), hackathon, meetup, workshop or other
        #[arg(long)]
        kind: Option<String>,
        /// The event's web site
        #[arg(long)]
        website: Option<String>,
        /// IANA time zone of its session times, e.g. Europe/Berlin
        #[arg(long)]
        timezone: Option<String>,
        /// Where to find the team, e.g. R39
        #[arg(long)]
        booth: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (the next free one is used when it is taken; 0: any free port)
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; 0.0.0.0 shares the preview with your network
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Include posts and pages marked `draft = true`
    #[arg(long)]
    pub drafts: bool,
    /// Include posts dated after now (scheduled posts)
    #[arg(long)]
    pub future: bool,
    /// Use this base URL instead of config.toml's for this build
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Write the site here instead of the config's `output_dir`
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Write the output files this build added (A), changed (M) and
    /// removed (D) to FILE, one a line, for deploy scripts
    #[arg(long, value_name = "FILE")]
    pub list_changed: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check drafts too
    #[arg(long)]
    pub drafts: bool,
    /// Check posts dated after now too
    #[arg(long)]
    pub future: bool,
    /// Also ask every link to another site whether it still answers
    #[arg(long)]
    pub external: bool,
    /// With --external: a link that does not answer is an error (exit status 1), not a warning
    #[arg(long, requires = "external")]
    pub deny_external: bool,
}

/// Runs the command line and returns the process exit status.
pub fn run() -> i32 {
    let cli = Cli::parse();
    let console = Console {
        color: use_color(),
        quiet: cli.quiet,
    };
    match &cli.command {
        Command::Init(args) => init(args, console),
        Command::Import(what) => import(what, console),
        Command::Languages => languages(find_root(cli.root.as_deref()).ok(), console),
        command => match find_root(cli.root.as_deref()) {
            Ok(root) => run_in_site(command, root, console),
            Err(err) => {
                eprintln!("{}", err.render(console.color));
                1
            }
        },
    }
}

/// The commands that work on a site.
fn run_in_site(command: &Command, root: PathBuf, console: Console) -> i32 {
    match command {
        Command::Build(args) => {
            let request = Request {
                root,
                progress: !console.quiet,
                drafts: args.drafts,
                future: args.future,
                base_url: args.base_url.clone(),
                mode: Mode::Build {
                    output: args.output.clone(),
                },
            };
            build(request, console, args.list_changed.as_deref())
        }
        Command::Check(args) => build(
            Request {
                root,
                progress: !console.quiet,
                drafts: args.drafts,
                future: args.future,
                base_url: None,
                mode: Mode::Check {
                    external: args.external.then_some(ExternalCheck {
                        deny: args.deny_external,
                    }),
                },
            },
            console,
            None,
        ),
        Command::Serve(args) => crate::serve::run(crate::serve::ServeOptions {
            root,
            bind: args.bind,
            port: args.port,
            open: args.open,
            color: console.color,
            quiet: console.quiet,
        }),
        Command::New(what) => new(what, &root, console),
        Command::Init(args) => init(args, console),
        Command::Import(what) => import(what, console),
        Command::Languages => languages(Some(root), console),
    }
}

/// Prints the languages fences can name: the built-in grammars, and the
/// site's own when run inside a site.
fn languages(root: Option<PathBuf>, console: Console) -> i32 {
    use crate::markdown::{SiteSyntaxFiles, SiteSyntaxes, built_in_syntaxes};
    let site = match root {
        Some(root) => SiteSyntaxFiles::read(&root).and_then(|files| files.parse(built_in_syntaxes)),
        None => Ok(SiteSyntaxes::default()),
    };
    match site {
        Ok(site) => {
            print!("{}", crate::markdown::language_table(&site));
            0
        }
        Err(errors) => {
            for err in errors {
                eprintln!("{}", err.render(console.color));
            }
            1
        }
    }
}

fn init(args: &InitArgs, console: Console) -> i32 {
    report_created(
        crate::scaffold::init(&args.dir, args.force, today()),
        console,
        |files| {
            let shown: Vec<String> = files
                .iter()
                .map(|f| format!("  {}", args.dir.join(f).display()))
                .collect();
            format!(
                "Created a recap site in {}:\n{}\nNext: cd {} && recap serve",
                args.dir.display(),
                shown.join("\n"),
                args.dir.display()
            )
        },
    )
}

fn import(what: &ImportCommand, console: Console) -> i32 {
    let imported = match what {
        ImportCommand::Jekyll { src, into } => crate::import::import_jekyll(src, into, today()),
        ImportCommand::Hugo { src, into, section } => {
            crate::import::import_hugo(src, into, section.as_deref())
        }
    };
    report_created(
        imported,
        // The import report lists what needs a hand, so -q keeps it.
        Console {
            quiet: false,
            ..console
        },
        |report| report.render(),
    )
}

fn new(what: &NewCommand, root: &Path, console: Console) -> i32 {
    let created = match what {
        NewCommand::Post { title, event } => crate::scaffold::new_post(
            root,
            &crate::scaffold::NewPost {
                title: title.clone(),
                event: event.clone(),
            },
            today(),
        ),
        NewCommand::Event {
            name,
            start,
            end,
            location,
            kind,
            website,
            timezone,
            booth,
        } => crate::scaffold::new_event(
            root,
            &crate::scaffold::NewEvent {
                name: name.clone(),
                start: start.clone(),
                end: end.clone(),
                location: location.clone(),
                kind: kind.clone(),
                website: website.clone(),
                timezone: timezone.clone(),
                booth: booth.clone(),
            },
        ),
    };
    report_created(created, console, |path| {
        format!("Created {}", root.join(path).display())
    })
}

/// `recap build` and `recap check`.
fn build(request: Request, console: Console, list_changed: Option<&Path>) -> i32 {
    match pipeline::run(&request) {
        Ok(report) => {
            print_diagnostics(&report.warnings, console.color);
            if !console.quiet {
                println!("{}", summary(&report));
                for note in &report.notes {
                    println!("{note}");
                }
            }
            match (list_changed, &report.changes) {
                (Some(file), Some(changes)) => write_changes(file, changes, console),
                _ => 0,
            }
        }
        Err(failure) => {
            print_diagnostics(&failure.diagnostics, console.color);
            let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
            let what = match request.mode {
                Mode::Build { .. } => "Build failed",
                Mode::Check { .. } | Mode::Serve(_) => "Check failed",
            };
            eprintln!(
                "{what}: {errors} error{}",
                if errors == 1 { "" } else { "s" }
            );
            1
        }
    }
}

/// `--list-changed FILE`: "A path", "M path" and "D path" lines.
fn write_changes(file: &Path, changes: &crate::output::Changes, console: Console) -> i32 {
    let lines = [
        ("A", &changes.added),
        ("M", &changes.changed),
        ("D", &changes.removed),
    ]
    .into_iter()
    .flat_map(|(mark, paths)| paths.iter().map(move |path| format!("{mark} {path}\n")))
    .collect::<String>();
    match std::fs::write(file, lines) {
        Ok(()) => 0,
        Err(err) => {
            let problem = Diagnostic::error(
                file,
                format!("cannot write the list of changed files: {err}"),
            )
            .help("the site was built; pass a writable path to --list-changed");
            eprintln!("{}", problem.render(console.color));
            1
        }
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Prints what a scaffolding command created, or its error; the exit status.
fn report_created<T>(
    result: Result<T, Diagnostic>,
    console: Console,
    describe: impl FnOnce(&T) -> String,
) -> i32 {
    match result {
        Ok(created) => {
            if !console.quiet {
                println!("{}", describe(&created));
            }
            0
        }
        Err(err) => {
            eprintln!("{}", err.render(console.color));
            1
        }
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], color: bool) {
    for diagnostic in diagnostics {
        eprintln!("{}\n", diagnostic.render(color));
    }
}

/// Colour only on a terminal, and never under NO_COLOR (https://no-color.org).
fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        && std::io::stderr().is_terminal()
}

/// "Built 212 pages (12 posts, 9 events, 31 tags) in 0.21 s"
fn summary(report: &Report) -> String {
    let verb = if report.output.is_some() {
        "Built"
    } else {
        "Checked"
    };
    let mut line = format!(
        "{verb} {} in {:.2} s",
        pipeline::site_counts(report.pages, report.posts, report.events, report.tags),
        report.elapsed.as_secs_f64()
    );
    if let Some(output) = &report.output {
        line.push_str(&format!(" → {}", output.display()));
    }
    if let Some(changes) = &report.changes {
        line.push_str(&format!(
            "\nOutput: {} added, {} changed, {} removed, {} unchanged",
            changes.added.len(),
            changes.changed.len(),
            changes.removed.len(),
            changes.unchanged
        ));
    }
    if let Some(next) = report.held_back.next {
        let count = report.held_back.count;
        line.push_str(&format!(
            "\n{count} scheduled post{} left out, dated after now (the next: {}); --future includes {}",
            if count == 1 { "" } else { "s" },
            next.rfc3339(),
            if count == 1 { "it" } else { "them" },
        ));
    }
    line
}

/// The site root: `--root`, or the nearest folder upwards holding config.toml.
fn find_root(explicit: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    if let Some(root) = explicit {
        return Ok(root.to_path_buf());
    }
    let cwd = std::env::current_dir()
        .map_err(|err| Diagnostic::error(".", format!("cannot read the current folder: {err}")))?;
    cwd.ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            Diagnostic::error(CONFIG_FILE, "no config.toml here or in any parent folder")
                .help("run recap inside a site folder, or pass --root DIR")
        })
}
