//! A real SMS gateway on a local port, for the text-message tests: it checks every
//! request's signature with the documented algorithm (written here again, not borrowed
//! from the server), keeps each message once by its idempotency id, and fails, answers
//! slowly or hangs on demand.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the gateway does with the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Accept,
    /// Answers this HTTP status.
    Fail(u16),
    /// Waits this long, then accepts (longer than the server's timeout: a time-out).
    Slow(Duration),
}

/// Which documented API it plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// The county's own gateway: JSON POST, HMAC-SHA256 over `timestamp.body`.
    Http,
    /// Alibaba Cloud SendSms: GET with the RPC signature (HMAC-SHA1).
    Aliyun,
}

/// One request the gateway got.
#[derive(Debug, Clone)]
pub struct Call {
    pub id: String,
    pub mobile: String,
    pub text: String,
    pub template: String,
    pub signature_ok: bool,
}

#[derive(Default)]
struct Shared {
    script: VecDeque<Behaviour>,
    default: Option<Behaviour>,
    calls: Vec<Call>,
    /// Messages taken, by idempotency id: how many requests carried each.
    accepted: HashMap<String, u32>,
    /// Messages taken in order of first acceptance, with the time (ms since the start).
    first_seen: Vec<(String, u128)>,
}

/// A running local gateway.
pub struct SmsGateway {
    pub url: String,
    pub secret: String,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmsGateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone)]
struct Ctx {
    flavour: Flavour,
    secret: String,
    shared: Arc<Mutex<Shared>>,
    started: std::time::Instant,
}

impl SmsGateway {
    /// Starts a gateway on a free port that accepts everything (until told otherwise).
    pub async fn start(flavour: Flavour) -> SmsGateway {
        let secret = "county-shared-secret-0123456789".to_string();
        let shared = Arc::new(Mutex::new(Shared { default: Some(Behaviour::Accept), ..Default::default() }));
        let started = std::time::Instant::now();
        let ctx = Ctx { flavour, secret: secret.clone(), shared: shared.clone(), started };
        let app = Router::new().route("/sms", post(http_send)).route("/", get(aliyun_send)).with_state(ctx);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let url = match flavour {
            Flavour::Http => format!("http://{addr}/sms"),
            Flavour::Aliyun => format!("http://{addr}/"),
        };
        SmsGateway { url, secret, shared, task }
    }

    /// The next requests' behaviours, in order; then the default again.
    pub fn script(&self, behaviours: &[Behaviour]) {
        self.shared.lock().unwrap().script.extend(behaviours.iter().copied());
    }

    /// What every request gets once the script is used up.
    pub fn set_default(&self, behaviour: Behaviour) {
        self.shared.lock().unwrap().default = Some(behaviour);
    }

    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().unwrap().calls.clone()
    }

    /// Idempotency id → how many accepted requests carried it.
    pub fn accepted(&self) -> HashMap<String, u32> {
        self.shared.lock().unwrap().accepted.clone()
    }

    /// Each message's first acceptance, ms after the gateway started.
    pub fn first_seen(&self) -> Vec<(String, u128)> {
        self.shared.lock().unwrap().first_seen.clone()
    }
}

fn next_behaviour(shared: &Mutex<Shared>) -> Behaviour {
    let mut shared = shared.lock().unwrap();
    shared.script.pop_front().or(shared.default).unwrap_or(Behaviour::Accept)
}

/// Records the call and plays the behaviour; true when the message was taken.
async fn play(ctx: &Ctx, call: Call) -> Result<(), StatusCode> {
    let signature_ok = call.signature_ok;
    let id = call.id.clone();
    ctx.shared.lock().unwrap().calls.push(call);
    if !signature_ok {
        return Err(StatusCode::UNAUTHORIZED);
    }
    let behaviour = next_behaviour(&ctx.shared);
    if let Behaviour::Fail(status) = behaviour {
        return Err(StatusCode::from_u16(status).unwrap());
    }
    // The gateway keeps a message once: a repeat of an id is answered, not sent again.
    {
        let mut shared = ctx.shared.lock().unwrap();
        let count = shared.accepted.entry(id.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            let at = ctx.started.elapsed().as_millis();
            shared.first_seen.push((id, at));
        }
    }
    // A slow answer comes after the message was taken: a caller that gives up (or dies)
    // meanwhile does not know it went through.
    if let Behaviour::Slow(wait) = behaviour {
        tokio::time::sleep(wait).await;
    }
    Ok(())
}

async fn http_send(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> (StatusCode, axum::Json<Value>) {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let timestamp = header("x-timestamp");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(ctx.secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(&body);
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let json: Value = serde_json::from_slice(&body).unwrap_or_default();
    let text = |field: &str| json[field].as_str().unwrap_or_default().to_string();
    let call = Call {
        id: text("id"),
        mobile: text("mobile"),
        text: text("text"),
        template: text("template"),
        signature_ok: header("x-signature") == expected && header("idempotency-key") == text("id"),
    };
    match play(&ctx, call).await {
        Ok(()) => (StatusCode::OK, axum::Json(json!({ "ok": true }))),
        Err(status) => (status, axum::Json(json!({ "ok": false }))),
    }
}

/// RFC 3986 as Alibaba Cloud's signature documentation spells it out.
fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn aliyun_send(
    State(ctx): State<Ctx>,
    Query(mut query): Query<BTreeMap<String, String>>,
) -> (StatusCode, axum::Json<Value>) {
    use base64::Engine;
    let signature = query.remove("Signature").unwrap_or_default();
    let canonical: Vec<String> = query.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    let string_to_sign = format!("GET&{}&{}", encode("/"), encode(&canonical.join("&")));
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{}&", ctx.secret).as_bytes()).unwrap();
    mac.update(string_to_sign.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let field = |name: &str| query.get(name).cloned().unwrap_or_default();
    let call = Call {
        id: field("OutId"),
        mobile: field("PhoneNumbers"),
        text: field("TemplateParam"),
        template: field("TemplateCode"),
        signature_ok: signature == expected
            && field("Action") == "SendSms"
            && field("SignatureMethod") == "HMAC-SHA1"
            && field("SignatureVersion") == "1.0",
    };
    assert_eq!(ctx.flavour, Flavour::Aliyun);
    match play(&ctx, call).await {
        Ok(()) => {
            (StatusCode::OK, axum::Json(json!({ "Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r" })))
        }
        Err(StatusCode::UNAUTHORIZED) => (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({ "Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched" })),
        ),
        Err(status) => (status, axum::Json(json!({ "Code": "ServiceUnavailable", "Message": "busy" }))),
    }
}
