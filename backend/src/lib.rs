//! The OneWindow server: the `/api/v1` API and the built app, on one SQLite file.
//! `main.rs` only parses flags; everything runs from here so tests can start the
//! real server on port 0.

pub mod attempts;
pub mod auth;
pub mod booking;
pub mod casework;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod exports;
pub mod grids;
pub mod housekeeping;
pub mod intake;
pub mod limits;
pub mod materials;
pub mod messages;
pub mod notices;
pub mod openapi;
pub mod photos;
pub mod routes;
pub mod security;
pub mod server;
/// The demo county and accounts (SQL, so under `db`), where tests and benchmarks look.
pub use db::seed;
pub mod static_files;
pub mod tracking;
pub mod unit_tree;

use attempts::AttemptLimiter;
use axum::Router;
use config::Config;
use db::Db;
use error::AppError;
use ow_shared::calendar::Calendar;
use ow_shared::dto::RegionsResponse;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::trace::TraceLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub attempts: Arc<AttemptLimiter>,
    /// See `Config::public_url`.
    pub public_url: Option<Arc<str>>,
    /// See `Config::trust_forwarded_for`.
    pub trust_forwarded_for: bool,
    /// See `Config::intake_level`.
    pub intake_level: config::IntakeLevel,
    /// See `Config::secure_cookies`.
    pub secure_cookies: bool,
    /// Per-address rate limits (see `limits`).
    pub rate_limits: Arc<limits::RateLimits>,
    /// Sign-in reservations and locks (see `auth::guard`).
    pub sign_ins: Arc<auth::guard::SignInGuard>,
    /// The most bytes of photos not yet part of a case (`Limits::pending_uploads_mb`).
    pub pending_uploads_bytes: u64,
    /// Photo uploads being received; a full set answers 503.
    pub uploads: Arc<tokio::sync::Semaphore>,
    /// Demo mode: demo data and demo staff accounts, which the sign-in page lists.
    pub demo: bool,
    /// The county's places, read once: every submission checks against them.
    places: Arc<tokio::sync::RwLock<Option<Arc<RegionsResponse>>>>,
    /// The holiday calendar, read once: every clock is computed on it. The number is
    /// its generation, bumped by every edit, so a read that raced an edit is not kept.
    calendar: Arc<tokio::sync::RwLock<(u64, Option<Arc<Calendar>>)>>,
    /// The grids' spatial index (see `grids::GridCache`).
    pub grids: Arc<grids::GridCache>,
    /// While the server runs, its text-message worker does (`messages::worker`).
    pub messages_alive: Arc<messages::worker::Alive>,
    /// The 【签名】 of the texts, to show them as sent.
    pub sms_sign_name: Arc<str>,
    /// How written notices are headed and numbered (`notices::NoticeConfig`).
    pub notices: Arc<notices::NoticeConfig>,
    /// 政务公开's pages as last counted (`routes::open_page`).
    pub open_figures: Arc<routes::open_page::Cache>,
}

impl AppState {
    /// The townships and villages, from memory after the first read.
    pub async fn places(&self) -> Result<Arc<RegionsResponse>, AppError> {
        if let Some(places) = self.places.read().await.as_ref() {
            return Ok(places.clone());
        }
        let places = Arc::new(self.db.read(db::regions::list).await?);
        *self.places.write().await = Some(places.clone());
        Ok(places)
    }

    /// The holiday calendar, from memory after the first read.
    pub async fn calendar(&self) -> Result<Arc<Calendar>, AppError> {
        let generation = {
            let cached = self.calendar.read().await;
            if let Some(calendar) = cached.1.as_ref() {
                return Ok(calendar.clone());
            }
            cached.0
        };
        let calendar = Arc::new(self.db.read(db::holidays::calendar).await?);
        let mut cached = self.calendar.write().await;
        if cached.0 == generation {
            cached.1 = Some(calendar.clone());
        }
        Ok(calendar)
    }

    /// Call after editing the calendar.
    pub async fn forget_calendar(&self) {
        let mut cached = self.calendar.write().await;
        *cached = (cached.0 + 1, None);
    }

    /// The client's address: the peer's, or the proxy's report of it when configured.
    pub fn client_ip(&self, peer: SocketAddr, headers: &axum::http::HeaderMap) -> std::net::IpAddr {
        let forwarded = || {
            let list = headers.get("x-forwarded-for")?.to_str().ok()?;
            list.rsplit(',').next()?.trim().parse().ok()
        };
        self.trust_forwarded_for.then(forwarded).flatten().unwrap_or(peer.ip())
    }
}

/// The whole application: API routes, then the app's files for everything else, all
/// answered with the security headers.
pub fn app(state: AppState, config: &Config) -> Router {
    let dist = config.dist.as_deref();
    let mut router = routes::api()
        .layer(axum::middleware::from_fn_with_state(state.clone(), rate_limit))
        .with_state(state)
        .merge(routes::materials_page::router());
    if let Some(dist) = dist {
        router = router.merge(static_files::router(dist));
    }
    let headers = Arc::new(security::SecurityHeaders::new(dist, config.https()));
    let timeout = std::time::Duration::from_secs(config.limits.request_seconds.max(1));
    router
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(axum::middleware::from_fn_with_state(headers, security::layer))
        // Logs method, path and status only: request bodies (phones, ID numbers) never reach the log.
        .layer(TraceLayer::new_for_http())
}

/// Counts an anonymous request against its address's limit (`limits::kind_of`), or
/// answers 429 with Retry-After before it reaches its handler.
async fn rate_limit(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if let Some(kind) = limits::kind_of(request.method(), request.uri().path())
        && let Some(axum::extract::ConnectInfo(peer)) =
            request.extensions().get::<axum::extract::ConnectInfo<SocketAddr>>()
        && let Err(refused) = state.rate_limits.check(kind, state.client_ip(*peer, request.headers()))
    {
        return refused.into_response();
    }
    next.run(request).await
}

/// Opens the database (migrating it, and seeding the demo county if asked).
async fn open_state(config: &Config) -> Result<AppState, AppError> {
    let db = Db::open_with(&config.db, &config.limits)?;
    if config.demo && db.write(seed::seed_demo_if_empty).await? {
        tracing::info!("seeded the demo county");
    }
    db.write(db::holidays::seed_official_once).await?;
    if !config.demo {
        // Demo accounts share a published password: outside demo mode they must not sign in.
        let closed = db.write(|conn| db::staff::deactivate_by_hash(conn, seed::DEMO_PASSWORD_HASH)).await?;
        if closed > 0 {
            tracing::warn!(accounts = closed, "deactivated demo accounts: the server is not in demo mode");
        }
    }
    housekeeping::start(db.clone(), config.retention.clone());
    let rate_limits = Arc::new(limits::RateLimits::new(&config.limits));
    let attempts = Arc::new(AttemptLimiter::default());
    let sign_ins = Arc::new(auth::guard::SignInGuard::default());
    let sweeping = (Arc::downgrade(&rate_limits), Arc::downgrade(&attempts), Arc::downgrade(&sign_ins));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(limits::SWEEP_EVERY);
        loop {
            tick.tick().await;
            // Ends with the server (the last state dropped).
            let (Some(rate_limits), Some(attempts), Some(sign_ins)) =
                (sweeping.0.upgrade(), sweeping.1.upgrade(), sweeping.2.upgrade())
            else {
                break;
            };
            rate_limits.sweep();
            attempts.sweep();
            sign_ins.sweep();
        }
    });
    Ok(AppState {
        db,
        attempts,
        public_url: config.public_url.as_deref().map(|u| Arc::from(u.trim_end_matches('/'))),
        trust_forwarded_for: config.trust_forwarded_for,
        intake_level: config.intake_level,
        secure_cookies: config.secure_cookies(),
        rate_limits,
        sign_ins,
        pending_uploads_bytes: config.limits.pending_uploads_mb.saturating_mul(1024 * 1024),
        uploads: Arc::new(tokio::sync::Semaphore::new(config.limits.uploads_in_flight.max(1))),
        demo: config.demo,
        places: Arc::default(),
        calendar: Arc::default(),
        grids: Arc::default(),
        messages_alive: Arc::default(),
        sms_sign_name: Arc::from(config.sms.sign_name.as_str()),
        notices: Arc::new(config.notices.clone()),
        open_figures: Arc::default(),
    })
}

/// Starts the text-message worker; texts link to the public URL, else to the address
/// the server listens on.
async fn start_messages(state: &AppState, config: &Config, addr: SocketAddr) -> Result<(), AppError> {
    let site = state.public_url.as_deref().map_or_else(|| format!("http://{addr}"), str::to_string);
    messages::worker::start(state.db.clone(), config.sms.clone(), site, Arc::downgrade(&state.messages_alive)).await
}

/// A server running in the background, for tests and benchmarks.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Binds the address and serves until the task is dropped or aborted.
pub async fn spawn(config: Config) -> Result<RunningServer, AppError> {
    let state = open_state(&config).await?;
    let listener = server::bind(config.addr, &config.limits).map_err(|e| AppError::Internal(e.to_string()))?;
    let addr = listener.local_addr().map_err(|e| AppError::Internal(e.to_string()))?;
    start_messages(&state, &config, addr).await?;
    let idle = config.limits.idle();
    let app = app(state, &config);
    let task = tokio::spawn(server::run(listener, app, idle, std::future::pending()));
    Ok(RunningServer { addr, task })
}

/// Serves until Ctrl-C or SIGTERM. Prints `listening on http://ADDR` once ready, for scripts.
pub async fn serve(config: Config) -> Result<(), AppError> {
    let state = open_state(&config).await?;
    let listener = server::bind(config.addr, &config.limits).map_err(|e| AppError::Internal(e.to_string()))?;
    let addr = listener.local_addr().map_err(|e| AppError::Internal(e.to_string()))?;
    start_messages(&state, &config, addr).await?;
    let idle = config.limits.idle();
    let app = app(state, &config);
    // Scripts and tests wait for this line; flush so a pipe sees it at once.
    println!("listening on http://{addr}");
    let _ = std::io::Write::flush(&mut std::io::stdout());
    server::run(listener, app, idle, shutdown_signal()).await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
