//! The `draaiboek` command: argument parsing and the work of each
//! subcommand, callable from tests.

mod report;
pub mod term;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use draaiboek_analysis::Analysis;
use draaiboek_plan::{Date, Language, Plan};

use term::Style;

/// `tr!(en, "English {x}", "Nederlands {x}")`, `en` true for English.
macro_rules! tr {
    ($en:expr, $english:literal, $dutch:literal $(, $arg:expr)* $(,)?) => {
        if $en { format!($english $(, $arg)*) } else { format!($dutch $(, $arg)*) }
    };
}

/// Exit code for a plan that cannot be read or is invalid, or bad usage.
pub const EXIT_INVALID: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "draaiboek",
    version,
    about = "Keep an ICT calamity plan as data: check it, analyse its scenarios, and turn it into the runbook for the day.",
    after_help = "Examples:\n  draaiboek init --lang nl -o plan.yaml\n  draaiboek check plan.yaml\n  draaiboek analyse plan.yaml --scenario fire-hq"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DocFormat {
    Pdf,
    Html,
    Md,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Lang {
    Nl,
    En,
}

impl From<Lang> for Language {
    fn from(l: Lang) -> Language {
        match l {
            Lang::Nl => Language::Nl,
            Lang::En => Language::En,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a plan for gaps: findings by severity and the readiness score.
    #[command(after_help = "Exit status: 0 without errors, 1 with a finding of severity error or critical, \
2 when the plan cannot be read.\n\nExample:\n  draaiboek check plan.yaml --today 2026-12-01 --format json")]
    Check {
        /// The plan file (YAML, format draaiboek/v1).
        plan: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// The date that date-based checks count from (YYYY-MM-DD); default: today.
        #[arg(long, value_parser = parse_date)]
        today: Option<Date>,
        /// Language of the messages; default: the plan's `language`.
        #[arg(long, value_enum, env = "DRAAIBOEK_LANG")]
        lang: Option<Lang>,
    },
    /// Analyse the scenarios: when each process is back, what misses its
    /// objectives and why, data lost, cost, and the recovery steps in order.
    #[command(
        alias = "analyze",
        after_help = "Example:\n  draaiboek analyse plan.yaml --scenario fire-hq\n\n\
With --format json and --scenario, one object; without --scenario, a list with one object per scenario."
    )]
    Analyse {
        /// The plan file (YAML, format draaiboek/v1).
        plan: PathBuf,
        /// Only this scenario (its id).
        #[arg(long)]
        scenario: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Language of the explanations; default: the plan's `language`.
        #[arg(long, value_enum, env = "DRAAIBOEK_LANG")]
        lang: Option<Lang>,
    },
    /// The plan document: what to do when disaster strikes, contacts, every
    /// scenario with its timeline and recovery steps, and the inventory.
    #[command(after_help = "Example:\n  draaiboek render plan.yaml -o plan.html\n\n\
The format follows from the file name (.pdf, .html, .md) or --format. The PDF embeds its fonts; the HTML file is \
self-contained: no script and nothing fetched, readable on a phone and printable.")]
    Render {
        /// The plan file (YAML, format draaiboek/v1).
        plan: PathBuf,
        /// Where to write the document; `-` for standard output (then give --format).
        #[arg(short, long)]
        output: PathBuf,
        /// The document format; default: from the output file's extension.
        #[arg(long, value_enum)]
        format: Option<DocFormat>,
        /// Language of the document; default: the plan's `language`.
        #[arg(long, value_enum, env = "DRAAIBOEK_LANG")]
        lang: Option<Lang>,
        /// The date the document is made on (YYYY-MM-DD), for date-based checks; default: today.
        #[arg(long, value_parser = parse_date)]
        today: Option<Date>,
    },
    /// The wallet card: emergency number, coordinator and deputy, IT
    /// provider, insurer, telecom provider, alternate location and the first
    /// three actions, on a credit-card-sized PDF.
    #[command(after_help = "Example:\n  draaiboek card plan.yaml -o card.pdf --sheet\n\n\
Without --sheet: two pages of 85.6 x 54 mm, front and back. With --sheet: ten cards on A4 with cut marks, \
backs on the second page, for printing on both sides (flip on the long edge).")]
    Card {
        /// The plan file (YAML, format draaiboek/v1).
        plan: PathBuf,
        /// Where to write the PDF; `-` for standard output.
        #[arg(short, long, default_value = "card.pdf")]
        output: PathBuf,
        /// Ten cards on an A4 sheet with cut marks.
        #[arg(long)]
        sheet: bool,
        /// Language of the card; default: the plan's `language`.
        #[arg(long, value_enum, env = "DRAAIBOEK_LANG")]
        lang: Option<Lang>,
        /// The date the PDF is made on (YYYY-MM-DD); default: today.
        #[arg(long, value_parser = parse_date)]
        today: Option<Date>,
    },
    /// Crisis contacts for a phone, as vCard 4.0: everyone in a crisis role
    /// and every party the plan tells someone to call.
    #[command(after_help = "Example:\n  draaiboek contacts plan.yaml -o crisis.vcf\n\n\
Every card has the category \"Crisis contacts <organisation>\" (\"Crisiscontacten ...\" in Dutch), so a phone can group them; \
importing the file again updates the cards.")]
    Contacts {
        /// The plan file (YAML, format draaiboek/v1).
        plan: PathBuf,
        /// Where to write the vCard file; `-` for standard output.
        #[arg(short, long, default_value = "crisis-contacts.vcf")]
        output: PathBuf,
        /// Language of the notes on the cards; default: the plan's `language`.
        #[arg(long, value_enum, env = "DRAAIBOEK_LANG")]
        lang: Option<Lang>,
    },
    /// Planned exercises and the next review of the plan, as iCalendar.
    #[command(after_help = "Example:\n  draaiboek calendar plan.yaml -o plan.ics\n\n\
One all-day event per exercise that is planned and not yet performed, and one for the next review. \
Events keep their identity, so importing the file again updates them.")]
    Calendar {
        /// The plan file (YAML, format draaiboek/v1).
        plan: PathBuf,
        /// Where to write the iCalendar file; `-` for standard output.
        #[arg(short, long, default_value = "draaiboek.ics")]
        output: PathBuf,
        /// Language of the events; default: the plan's `language`.
        #[arg(long, value_enum, env = "DRAAIBOEK_LANG")]
        lang: Option<Lang>,
        /// The date stamped on the events (YYYY-MM-DD); default: today.
        #[arg(long, value_parser = parse_date)]
        today: Option<Date>,
    },
    /// Run the web application: organisations keep their plans in a browser.
    #[command(
        after_help = "Example:\n  draaiboek serve --listen 0.0.0.0:8080 --public-url https://plan.example.nl --secure-cookies\n\n\
The database is the file draaiboek.db in the data folder; it is created on first start. While no account exists, \
a one-time link to create the first administrator is printed. Stop with Ctrl-C: requests under way finish first."
    )]
    Serve {
        /// The address and port to listen on.
        #[arg(long, env = "DRAAIBOEK_LISTEN", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// The address people reach the server at, for the links it prints;
        /// default: http:// and the listen address.
        #[arg(long, env = "DRAAIBOEK_PUBLIC_URL")]
        public_url: Option<String>,
        /// Send cookies only over HTTPS (set this behind a reverse proxy that serves HTTPS).
        #[arg(long, env = "DRAAIBOEK_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Send e-mail (reminders, activation of the plan) through this SMTP
        /// server, as HOST:PORT: a relay (localhost:25) or a provider's
        /// submission server (smtp.office365.com:587).
        #[arg(long, env = "DRAAIBOEK_SMTP_RELAY")]
        smtp_relay: Option<String>,
        /// The sender of the e-mail.
        #[arg(long, env = "DRAAIBOEK_MAIL_FROM")]
        mail_from: Option<String>,
        /// How the connection to the mail server is protected; default: tls
        /// on port 465, starttls on 587, none on other ports.
        #[arg(long, env = "DRAAIBOEK_SMTP_TLS", value_enum)]
        smtp_tls: Option<SmtpTls>,
        /// Log in to the mail server as this user.
        #[arg(long, env = "DRAAIBOEK_SMTP_USER")]
        smtp_user: Option<String>,
        /// The password for --smtp-user. Give it in the environment rather
        /// than on the command line, where other users of the machine can see it.
        #[arg(long, env = "DRAAIBOEK_SMTP_PASSWORD", hide_env_values = true)]
        smtp_password: Option<String>,
        /// Also trust the certificates in this PEM file for the mail server
        /// (an authority of the organisation's own).
        #[arg(long, env = "DRAAIBOEK_SMTP_CA")]
        smtp_ca: Option<PathBuf>,
        #[command(flatten)]
        data: DataDir,
    },
    /// Accounts of the web application.
    #[command(subcommand)]
    User(UserCommand),
    /// Bring the database in the data folder up to date (also done when it opens).
    #[command(after_help = "Example:\n  draaiboek migrate --data-dir /var/lib/draaiboek")]
    Migrate {
        #[command(flatten)]
        data: DataDir,
    },
    /// Import a plan file into an organisation of the database: all or nothing.
    #[command(after_help = "Example:\n  draaiboek import plan.yaml --org de-vries\n\n\
The organisation is created when it does not exist. Every problem of the file is listed and nothing is changed \
when there is one; importing replaces the organisation's plan, entity by entity, with every change in the audit log.")]
    Import {
        /// The plan file (YAML, format draaiboek/v1).
        plan: PathBuf,
        /// The organisation's short name (lower-case letters, digits, '-').
        #[arg(long)]
        org: String,
        /// Who imports, for the audit log.
        #[arg(long, default_value = "import")]
        by: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// Export an organisation's plan from the database as a plan file.
    #[command(after_help = "Example:\n  draaiboek export --org de-vries -o plan.yaml")]
    Export {
        #[arg(long)]
        org: String,
        /// Where to write the plan; `-` for standard output.
        #[arg(short, long, default_value = "-")]
        output: PathBuf,
        #[command(flatten)]
        data: DataDir,
    },
    /// Write a consistent copy of the database, also while the server runs.
    #[command(after_help = "Example:\n  draaiboek backup --to draaiboek-2026-12-04.db")]
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        to: PathBuf,
        #[command(flatten)]
        data: DataDir,
    },
    /// Replace the database with a backup (stop the server first).
    #[command(after_help = "Example:\n  draaiboek restore draaiboek-2026-12-04.db --force")]
    Restore {
        /// A file made by `draaiboek backup`.
        file: PathBuf,
        /// Replace a database that exists.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        data: DataDir,
    },
    /// Write a commented starter plan that passes validation.
    #[command(after_help = "Example:\n  draaiboek init --lang nl -o plan.yaml")]
    Init {
        /// Language of the starter plan and its comments.
        #[arg(long, value_enum, default_value = "en", env = "DRAAIBOEK_LANG")]
        lang: Lang,
        /// Where to write it; `-` for standard output.
        #[arg(short, long, default_value = "draaiboek.yaml")]
        output: PathBuf,
        /// Overwrite the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Rewrite a plan file in the canonical layout (sections and keys in
    /// the order of the format, two-space indentation).
    #[command(
        after_help = "Exit status with --check: 0 when the file is already canonical, 1 when it would change.\n\n\
Formatting removes YAML comments; a file with comments is left alone unless --drop-comments is given.\n\n\
Example:\n  draaiboek fmt plan.yaml --check"
    )]
    Fmt {
        /// The plan file to rewrite.
        plan: PathBuf,
        /// Only report whether the file would change.
        #[arg(long)]
        check: bool,
        /// Format even though the file's comments will be lost.
        #[arg(long)]
        drop_comments: bool,
        /// Language of the messages; default: the plan's `language`.
        #[arg(long, value_enum, env = "DRAAIBOEK_LANG")]
        lang: Option<Lang>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Print a one-time link that creates an account (valid for 7 days).
    #[command(
        after_help = "Examples:\n  draaiboek user add --admin\n  draaiboek user add --org de-vries --role editor"
    )]
    Add {
        /// The account administers the installation: it sees and creates every organisation.
        #[arg(long)]
        admin: bool,
        /// Make the account a member of this organisation (its short name).
        #[arg(long)]
        org: Option<String>,
        /// Its role in --org.
        #[arg(long, value_enum, default_value = "editor")]
        role: RoleArg,
        /// The address people reach the server at.
        #[arg(long, env = "DRAAIBOEK_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
        #[command(flatten)]
        data: DataDir,
    },
}

/// How the connection to the mail server is protected.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum SmtpTls {
    /// Plain SMTP, for a relay on this machine or a trusted network.
    None,
    /// STARTTLS before anything else (usual on port 587).
    Starttls,
    /// TLS from the start (usual on port 465).
    Tls,
}

/// The mail settings of `serve`, checked before the server starts.
fn mail_config(
    relay: &str,
    from: &str,
    tls: Option<SmtpTls>,
    user: Option<String>,
    password: Option<String>,
    ca: Option<&Path>,
) -> anyhow::Result<draaiboek_web::MailConfig> {
    use draaiboek_web::MailSecurity;
    if from.contains(char::is_whitespace) || !from.contains('@') {
        anyhow::bail!("--mail-from: {from:?} is not an e-mail address");
    }
    let mut config = draaiboek_web::MailConfig::new(relay, from).map_err(|e| anyhow::anyhow!("--smtp-relay: {e}"))?;
    if let Some(tls) = tls {
        config = config.with_security(match tls {
            SmtpTls::None => MailSecurity::None,
            SmtpTls::Starttls => MailSecurity::StartTls,
            SmtpTls::Tls => MailSecurity::Tls,
        });
    }
    if let Some(ca) = ca {
        let pem = std::fs::read(ca).with_context(|| format!("cannot read --smtp-ca {}", ca.display()))?;
        config = config.trusting(&pem).map_err(|e| anyhow::anyhow!("--smtp-ca {}: {e}", ca.display()))?;
    }
    match (user, password) {
        (Some(user), Some(password)) => {
            config = config.with_login(&user, &password).map_err(|e| anyhow::anyhow!("--smtp-user: {e}"))?;
        }
        (None, None) => {}
        (Some(_), None) => {
            anyhow::bail!("--smtp-user needs a password: set DRAAIBOEK_SMTP_PASSWORD (or --smtp-password)")
        }
        (None, Some(_)) => anyhow::bail!("a mail password was given without --smtp-user"),
    }
    Ok(config)
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum RoleArg {
    Owner,
    Editor,
    Viewer,
}

/// Where the database lives.
#[derive(clap::Args, Debug)]
pub struct DataDir {
    /// The data folder, with the database file `draaiboek.db`.
    #[arg(long, env = "DRAAIBOEK_DATA_DIR", default_value = "draaiboek-data")]
    data_dir: PathBuf,
}

impl DataDir {
    fn database(&self) -> PathBuf {
        self.data_dir.join("draaiboek.db")
    }

    /// Opens the store, creating the folder and the database when needed.
    fn open(&self, rt: &tokio::runtime::Runtime) -> anyhow::Result<draaiboek_store::SqliteStore> {
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("cannot create the data folder {}", self.data_dir.display()))?;
        let url = format!("sqlite://{}", self.database().display());
        rt.block_on(draaiboek_store::SqliteStore::open(&url))
            .with_context(|| format!("cannot open the database {}", self.database().display()))
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the runtime")
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|e| e.to_string())
}

/// Runs the command line; returns the process exit code.
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_INVALID } else { 0 });
        }
    };
    let style = Style::detect();
    match execute(cli.command, style) {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Plan(report)) => {
            eprint!("{report}");
            ExitCode::from(EXIT_INVALID)
        }
        Err(Failure::Other(e)) => {
            eprintln!("draaiboek: {e:#}");
            ExitCode::from(EXIT_INVALID)
        }
    }
}

/// Why a command failed.
pub enum Failure {
    /// The plan could not be read: every problem, ready to print.
    Plan(String),
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::Other(e)
    }
}

fn execute(command: Command, style: Style) -> Result<u8, Failure> {
    let mut out = std::io::stdout().lock();
    match command {
        Command::Check { plan, format, today, lang } => {
            let plan = load(&plan, lang.map(Into::into))?;
            let lang = draaiboek_analysis::language(&plan, lang.map(Into::into));
            let analysis = Analysis::new(&plan);
            let report = analysis.check(today.unwrap_or_else(today_utc), lang);
            match format {
                Format::Json => print_json(&mut out, &draaiboek_analysis::output::check_json(&report))?,
                Format::Text => write_out(&mut out, &report::check_text(&plan, &report, lang, style))?,
            }
            Ok(u8::from(report.has_errors()))
        }
        Command::Analyse { plan, scenario, format, lang } => {
            let plan = load(&plan, lang.map(Into::into))?;
            let lang = draaiboek_analysis::language(&plan, lang.map(Into::into));
            let analysis = Analysis::new(&plan);
            let chosen: Vec<&draaiboek_analysis::ScenarioResult> = match &scenario {
                Some(id) => match analysis.scenario(id) {
                    Some(s) => vec![s],
                    None => {
                        let en = lang == Language::En;
                        let ids = plan.scenarios.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ");
                        let known = if ids.is_empty() {
                            tr!(en, "it has none", "het heeft er geen")
                        } else {
                            tr!(en, "scenarios: {ids}", "scenario's: {ids}")
                        };
                        let m = tr!(
                            en,
                            "the plan has no scenario `{id}` ({known})",
                            "het plan heeft geen scenario `{id}` ({known})"
                        );
                        return Err(anyhow::anyhow!(m).into());
                    }
                },
                None => analysis.scenarios.iter().collect(),
            };
            let json =
                |s: &&draaiboek_analysis::ScenarioResult| draaiboek_analysis::output::scenario_json(&analysis, s, lang);
            match (format, scenario.is_some()) {
                (Format::Json, true) => print_json(&mut out, &json(&chosen[0]))?,
                (Format::Json, false) => print_json(&mut out, &chosen.iter().map(json).collect::<Vec<_>>())?,
                (Format::Text, _) => {
                    if chosen.is_empty() {
                        let msg = draaiboek_analysis::text::pick(
                            lang,
                            "The plan has no scenarios to analyse.\n",
                            "Het plan heeft geen scenario's om te analyseren.\n",
                        );
                        write_out(&mut out, msg)?;
                    }
                    for s in chosen {
                        write_out(&mut out, &report::scenario_text(&analysis, &json(&s), lang, style))?;
                    }
                }
            }
            Ok(0)
        }
        Command::Render { plan: path, output, format, lang, today } => {
            let en = lang.map(Language::from) != Some(Language::Nl);
            let ext = output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            let format = match (format, ext.as_deref()) {
                (Some(f), _) => f,
                (None, Some("pdf")) => DocFormat::Pdf,
                (None, Some("html" | "htm")) => DocFormat::Html,
                (None, Some("md" | "markdown")) => DocFormat::Md,
                _ => {
                    let m = tr!(
                        en,
                        "cannot tell the format from `{}`; name the file .pdf, .html or .md, or give --format pdf|html|md",
                        "kan het formaat niet afleiden uit `{}`; noem het bestand .pdf, .html of .md, of geef --format pdf|html|md",
                        output.display()
                    );
                    return Err(anyhow::anyhow!(m).into());
                }
            };
            let plan = load(&path, lang.map(Into::into))?;
            let lang = draaiboek_analysis::language(&plan, lang.map(Into::into));
            let today = today.unwrap_or_else(today_utc);
            let analysis = Analysis::new(&plan);
            let report = analysis.check(today, lang);
            let doc = draaiboek_render::document(&analysis, &report, lang, today);
            let bytes = match format {
                DocFormat::Pdf => draaiboek_render::pdf(&doc, today).map_err(anyhow::Error::from)?,
                DocFormat::Html => draaiboek_render::html(&doc).into_bytes(),
                DocFormat::Md => draaiboek_render::markdown(&doc).into_bytes(),
            };
            emit(&mut out, &output, &bytes, lang)?;
            Ok(0)
        }
        Command::Card { plan, output, sheet, lang, today } => {
            let plan = load(&plan, lang.map(Into::into))?;
            let lang = draaiboek_analysis::language(&plan, lang.map(Into::into));
            let today = today.unwrap_or_else(today_utc);
            let card = draaiboek_render::card::content(&Analysis::new(&plan), lang);
            let pdf = if sheet {
                draaiboek_render::card::sheet_pdf(&card, lang, today)
            } else {
                draaiboek_render::card::pdf(&card, lang, today)
            };
            emit(&mut out, &output, &pdf.map_err(anyhow::Error::from)?, lang)?;
            Ok(0)
        }
        Command::Contacts { plan, output, lang } => {
            let plan = load(&plan, lang.map(Into::into))?;
            let lang = draaiboek_analysis::language(&plan, lang.map(Into::into));
            let vcf = draaiboek_render::contacts(&Analysis::new(&plan), lang);
            emit(&mut out, &output, vcf.as_bytes(), lang)?;
            Ok(0)
        }
        Command::Calendar { plan, output, lang, today } => {
            let plan = load(&plan, lang.map(Into::into))?;
            let lang = draaiboek_analysis::language(&plan, lang.map(Into::into));
            let ics = draaiboek_render::calendar(&plan, lang, today.unwrap_or_else(today_utc));
            emit(&mut out, &output, ics.as_bytes(), lang)?;
            Ok(0)
        }
        Command::Migrate { data } => {
            let rt = runtime()?;
            data.open(&rt)?;
            write_out(&mut out, &format!("{} is up to date\n", data.database().display()))?;
            Ok(0)
        }
        Command::Serve {
            listen,
            public_url,
            secure_cookies,
            smtp_relay,
            mail_from,
            smtp_tls,
            smtp_user,
            smtp_password,
            smtp_ca,
            data,
        } => {
            let mail = match (smtp_relay, mail_from) {
                (Some(relay), Some(from)) => {
                    Some(mail_config(&relay, &from, smtp_tls, smtp_user, smtp_password, smtp_ca.as_deref())?)
                }
                (None, None) => {
                    if smtp_user.is_some() || smtp_ca.is_some() || smtp_tls.is_some() {
                        return Err(anyhow::anyhow!("the mail settings need --smtp-relay and --mail-from").into());
                    }
                    None
                }
                _ => {
                    return Err(
                        anyhow::anyhow!("give both --smtp-relay and --mail-from to send e-mail, or neither").into()
                    );
                }
            };
            let rt =
                tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the runtime")?;
            let store = data.open(&rt)?;
            let listener = rt
                .block_on(tokio::net::TcpListener::bind(listen))
                .with_context(|| format!("cannot listen on {listen}; is another server using the port?"))?;
            let bound = listener.local_addr().context("cannot read the listening address")?;
            let public_url = public_url.unwrap_or_else(|| format!("http://{bound}"));
            let db: std::sync::Arc<dyn draaiboek_store::Db> = std::sync::Arc::new(store);
            rt.block_on(async {
                if db.user_count().await? == 0 {
                    let link = draaiboek_web::invite_link(db.as_ref(), &public_url, true, None, "serve").await?;
                    println!("No account exists yet. Open this link to create the first administrator:\n\n  {link}\n");
                }
                anyhow::Ok(())
            })?;
            println!("Draaiboek serves {public_url} (data in {})", data.data_dir.display());
            use std::io::Write as _;
            let _ = std::io::stdout().flush();
            let app = draaiboek_web::App::new(
                db,
                draaiboek_web::Config {
                    secure_cookies,
                    public_url,
                    renderer: std::env::current_exe()
                        .map_or(draaiboek_web::Renderer::InProcess, draaiboek_web::Renderer::Command),
                    mail: mail.clone(),
                },
            );
            if mail.is_some() {
                rt.spawn(draaiboek_web::reminders::run(app.clone(), std::time::Duration::from_secs(3600)));
            }
            rt.block_on(draaiboek_web::serve(app, listener)).context("the server stopped")?;
            Ok(0)
        }
        Command::User(UserCommand::Add { admin, org, role, public_url, data }) => {
            use draaiboek_store::Store;
            let rt = runtime()?;
            let store = data.open(&rt)?;
            let membership = match &org {
                Some(slug) => {
                    let o = rt.block_on(store.org(slug)).map_err(|e| match e {
                        draaiboek_store::StoreError::NotFound => {
                            anyhow::anyhow!("there is no organisation `{slug}` in the database")
                        }
                        e => anyhow::Error::from(e),
                    })?;
                    let role = match role {
                        RoleArg::Owner => draaiboek_store::Role::Owner,
                        RoleArg::Editor => draaiboek_store::Role::Editor,
                        RoleArg::Viewer => draaiboek_store::Role::Viewer,
                    };
                    Some((o.id, role))
                }
                None => None,
            };
            let link = rt
                .block_on(draaiboek_web::invite_link(&store, &public_url, admin, membership, "draaiboek user add"))
                .map_err(anyhow::Error::from)?;
            write_out(&mut out, &format!("One-time link to create the account (valid for 7 days):\n{link}\n"))?;
            Ok(0)
        }
        Command::Import { plan: path, org, by, data } => {
            use draaiboek_store::Store;
            draaiboek_plan::Id::new(&org).map_err(|e| anyhow::anyhow!("--org {org:?}: {e}"))?;
            let plan = load(&path, None)?;
            let rows: Vec<(String, String, String)> =
                draaiboek_plan::split(&plan).into_iter().map(|r| (r.kind.to_owned(), r.id, r.body)).collect();
            let rt = runtime()?;
            let store = data.open(&rt)?;
            let organisation = match rt.block_on(store.org(&org)) {
                Ok(o) => o,
                Err(draaiboek_store::StoreError::NotFound) => {
                    rt.block_on(store.create_org(&org, &plan.organisation.name)).map_err(anyhow::Error::from)?
                }
                Err(e) => return Err(anyhow::Error::from(e).into()),
            };
            rt.block_on(store.replace_all(organisation.id, &rows, &by)).map_err(anyhow::Error::from)?;
            write_out(&mut out, &format!("imported {} into {org} ({} entities)\n", path.display(), rows.len()))?;
            Ok(0)
        }
        Command::Export { org, output, data } => {
            use draaiboek_store::Store;
            let rt = runtime()?;
            let store = data.open(&rt)?;
            let organisation = rt.block_on(store.org(&org)).map_err(|e| match e {
                draaiboek_store::StoreError::NotFound => {
                    anyhow::anyhow!("there is no organisation `{org}` in the database")
                }
                e => anyhow::Error::from(e),
            })?;
            let rows = rt.block_on(store.entities(organisation.id)).map_err(anyhow::Error::from)?;
            let text = draaiboek_plan::join(rows.iter().map(|e| (e.kind.as_str(), e.body.as_str())));
            // What leaves the database is checked like any plan file.
            if let Err(e) = draaiboek_plan::from_str(&text, &org) {
                return Err(Failure::Plan(e.report()));
            }
            emit(&mut out, &output, text.as_bytes(), Language::En)?;
            Ok(0)
        }
        Command::Backup { to, data } => {
            let rt = runtime()?;
            let store = data.open(&rt)?;
            rt.block_on(store.backup_to(&to)).map_err(|e| match e {
                draaiboek_store::StoreError::Conflict(_) => {
                    anyhow::anyhow!("{} exists already; choose a new file", to.display())
                }
                e => anyhow::Error::from(e),
            })?;
            write_out(&mut out, &format!("wrote {}\n", to.display()))?;
            Ok(0)
        }
        Command::Restore { file, force, data } => {
            let rt = runtime()?;
            let orgs = rt
                .block_on(draaiboek_store::SqliteStore::check_backup(&file))
                .map_err(|e| anyhow::anyhow!("{} is not a Draaiboek backup: {e}", file.display()))?;
            let db = data.database();
            if db.exists() && !force {
                return Err(anyhow::anyhow!(
                    "{} exists; stop the server and run again with --force to replace it",
                    db.display()
                )
                .into());
            }
            std::fs::create_dir_all(&data.data_dir)
                .with_context(|| format!("cannot create {}", data.data_dir.display()))?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            write_atomically(&db, &bytes)?;
            // The old database's log belongs to the old file.
            for ext in ["db-wal", "db-shm"] {
                let _ = std::fs::remove_file(db.with_extension(ext));
            }
            data.open(&rt)?;
            write_out(
                &mut out,
                &format!("restored {} ({orgs} organisations) into {}\n", file.display(), db.display()),
            )?;
            Ok(0)
        }
        Command::Init { lang, output, force } => {
            let text = match lang {
                Lang::En => include_str!("starter/en.yaml"),
                Lang::Nl => include_str!("starter/nl.yaml"),
            };
            if output == Path::new("-") {
                write_out(&mut out, text)?;
                return Ok(0);
            }
            if output.exists() && !force {
                let (en, file) = (matches!(lang, Lang::En), output.display());
                let m = tr!(
                    en,
                    "{file} exists already; use --force to overwrite it",
                    "{file} bestaat al; gebruik --force om het te overschrijven"
                );
                return Err(anyhow::anyhow!(m).into());
            }
            write_atomically(&output, text.as_bytes())?;
            let msg = match lang {
                Lang::En => format!(
                    "Wrote {}. Next: fill it in, then run `draaiboek check {}`.\n",
                    output.display(),
                    output.display()
                ),
                Lang::Nl => format!(
                    "{} geschreven. Vul het in en draai daarna `draaiboek check {}`.\n",
                    output.display(),
                    output.display()
                ),
            };
            write_out(&mut out, &msg)?;
            Ok(0)
        }
        Command::Fmt { plan: path, check, drop_comments, lang } => {
            let (plan, text) = load_with_text(&path, lang.map(Into::into))?;
            let en = draaiboek_analysis::language(&plan, lang.map(Into::into)) == Language::En;
            let file = path.display();
            let formatted = draaiboek_plan::to_yaml(&plan);
            if formatted == text {
                return Ok(0);
            }
            if check {
                let m = tr!(
                    en,
                    "{file} is not in the canonical layout; run `draaiboek fmt {file}`\n",
                    "{file} staat niet in de standaardopmaak; draai `draaiboek fmt {file}`\n"
                );
                write_out(&mut out, &m)?;
                return Ok(1);
            }
            if draaiboek_plan::has_comments(&text) && !drop_comments {
                let m = tr!(
                    en,
                    "{file} has comments, which formatting would remove; run again with --drop-comments to format it anyway",
                    "{file} bevat commentaar, dat bij het opmaken verdwijnt; draai opnieuw met --drop-comments om toch op te maken"
                );
                return Err(anyhow::anyhow!(m).into());
            }
            write_atomically(&path, formatted.as_bytes())?;
            write_out(&mut out, &tr!(en, "formatted {file}\n", "{file} opgemaakt\n"))?;
            Ok(0)
        }
    }
}

/// Writes a document to `output` (`-`: standard output) and says where.
fn emit(out: &mut impl Write, output: &Path, bytes: &[u8], lang: Language) -> anyhow::Result<()> {
    if output == Path::new("-") {
        return match out.write_all(bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r.context("cannot write to standard output"),
        };
    }
    write_atomically(output, bytes)?;
    let file = output.display();
    write_out(out, &tr!(lang == Language::En, "wrote {file}\n", "{file} geschreven\n"))
}

fn write_out(out: &mut impl Write, s: &str) -> anyhow::Result<()> {
    match out.write_all(s.as_bytes()) {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

fn print_json(out: &mut impl Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut s = serde_json::to_string_pretty(value).context("cannot serialise the result")?;
    s.push('\n');
    write_out(out, &s)
}

/// Reads and validates a plan file; every problem is reported at once, in
/// `lang` or else the plan's own language. Before the plan is read, only
/// `lang` is known: problems with the file itself are in English without it.
pub fn load(path: &Path, lang: Option<Language>) -> Result<Plan, Failure> {
    load_with_text(path, lang).map(|(plan, _)| plan)
}

fn load_with_text(path: &Path, lang: Option<Language>) -> Result<(Plan, String), Failure> {
    let name = path.display().to_string();
    let en = lang != Some(Language::Nl);
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            anyhow::anyhow!(tr!(en, "{name}: no such file", "{name}: dit bestand bestaat niet"))
        }
        _ => anyhow::anyhow!(tr!(en, "{name}: cannot read it: {e}", "{name}: kan het niet lezen: {e}")),
    })?;
    if meta.is_dir() {
        let m = tr!(
            en,
            "{name} is a directory; give the path of a plan file",
            "{name} is een map; geef het pad van een planbestand"
        );
        return Err(anyhow::anyhow!(m).into());
    }
    if meta.len() > draaiboek_plan::MAX_FILE_BYTES as u64 {
        let (size, max) = (meta.len() / (1024 * 1024), draaiboek_plan::MAX_FILE_BYTES / (1024 * 1024));
        let m = tr!(
            en,
            "{name} is {size} MB; plan files larger than {max} MB are refused (is this the right file?)",
            "{name} is {size} MB; een plan groter dan {max} MB wordt geweigerd (is dit het goede bestand?)"
        );
        return Err(anyhow::anyhow!(m).into());
    }
    let bytes = std::fs::read(path).with_context(|| tr!(en, "{name}: cannot read it", "{name}: kan het niet lezen"))?;
    match draaiboek_plan::from_bytes_in(&bytes, &name, lang) {
        Ok(plan) => Ok((plan, String::from_utf8(bytes).unwrap_or_default())),
        Err(e) => {
            let n = e.problems.len();
            let total = match (e.lang, n) {
                (Language::En, 1) => format!("{name}: 1 problem in the plan\n"),
                (Language::En, _) => format!("{name}: {n} problems in the plan\n"),
                (Language::Nl, 1) => format!("{name}: 1 probleem in het plan\n"),
                (Language::Nl, _) => format!("{name}: {n} problemen in het plan\n"),
            };
            Err(Failure::Plan(format!("{}{total}", e.report())))
        }
    }
}

/// Writes through a temporary file in the same folder and renames it, so a
/// crash never leaves half a plan.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file_name = path.file_name().with_context(|| format!("{} is not a file name", path.display()))?;
    let tmp = dir.join(format!(".{}.tmp{}", file_name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

/// Today's date in UTC, from the system clock.
pub fn today_utc() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_unix_days((secs / 86_400) as i64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn starter_plans_are_valid() {
        for (name, text) in [("en", include_str!("starter/en.yaml")), ("nl", include_str!("starter/nl.yaml"))] {
            let plan = draaiboek_plan::from_str(text, name).unwrap_or_else(|e| panic!("{}", e.report()));
            assert!(!plan.scenarios.is_empty());
        }
    }
}
