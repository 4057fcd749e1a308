//! How the server is set up: flags, each with an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

/// The server's settings.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, env = "OW_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The SQLite database file (created if missing).
    #[arg(long, env = "OW_DB", default_value = "data/onewindow.sqlite")]
    pub db: PathBuf,
    /// The built app (Trunk's dist/); without it only the API is served.
    #[arg(long, env = "OW_DIST")]
    pub dist: Option<PathBuf>,
    /// Seed the fictional demo county into an empty database.
    #[arg(long, env = "OW_DEMO", default_value_t = false)]
    pub demo: bool,
    /// The address residents reach the site at (e.g. https://yichuang.example.gov.cn),
    /// for links in QR codes. Without it the request's Host header is used.
    #[arg(long, env = "OW_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Behind a reverse proxy: take the client's address from the last X-Forwarded-For
    /// entry (what the proxy saw) instead of the proxy's own address.
    #[arg(long, env = "OW_TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,
    /// The site is served over plain http (a closed network or a demo): session cookies
    /// are sent without `Secure`. Also assumed when the public URL starts with `http://`,
    /// or in demo mode without a public URL. Otherwise cookies are `Secure`.
    #[arg(long, env = "OW_PLAIN_HTTP", default_value_t = false)]
    pub plain_http: bool,
    /// Which centre a new case goes to (无差别受理, then the right level): `township`,
    /// the centre of the township it is about (default), or `county`, the county
    /// centre. A village station keeps the walk-ins about its own village either way.
    #[arg(long, env = "OW_INTAKE_LEVEL", value_enum, default_value_t = IntakeLevel::Township)]
    pub intake_level: IntakeLevel,
    #[command(flatten)]
    pub limits: crate::limits::Limits,
    #[command(flatten)]
    pub retention: crate::housekeeping::Retention,
    #[command(flatten)]
    pub sms: crate::messages::SmsConfig,
    #[command(flatten)]
    pub notices: crate::notices::NoticeConfig,
}

impl Config {
    /// A configuration for tests and benchmarks: a free port on loopback, demo data.
    pub fn for_tests(db: PathBuf) -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            db,
            dist: None,
            demo: true,
            public_url: None,
            trust_forwarded_for: false,
            plain_http: false,
            intake_level: IntakeLevel::Township,
            // Tests send thousands of requests from 127.0.0.1; a test of a limit lowers it.
            limits: crate::limits::Limits::generous(),
            retention: crate::housekeeping::Retention::default(),
            // Demo mode's `log` gateway, looked at often so tests need not wait; no
            // quiet hours, so that a test run at night sees its messages go out.
            sms: crate::messages::SmsConfig {
                poll_ms: 50,
                quiet_hours: crate::messages::QuietHours { start_min: 0, end_min: 0 },
                ..Default::default()
            },
            notices: crate::notices::NoticeConfig::default(),
        }
    }
}

/// See `Config::intake_level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IntakeLevel {
    Township,
    County,
}

impl Config {
    /// Whether residents reach the site over https (HSTS is sent then).
    pub fn https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|url| url.starts_with("https://"))
    }

    /// Whether session cookies are `Secure`: always, unless told the site is plain http.
    pub fn secure_cookies(&self) -> bool {
        let plain_url = self.public_url.as_deref().is_some_and(|url| url.starts_with("http://"));
        let local_demo = self.demo && self.public_url.is_none();
        !(self.plain_http || plain_url || local_demo)
    }
}
