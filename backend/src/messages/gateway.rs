//! The SMS gateways a message can go out through, chosen by configuration: `log`
//! (demo mode: nothing leaves the server), `http` (the county's own platform, signed
//! with HMAC-SHA256) and `aliyun` (Alibaba Cloud SendSms, signed as its documentation
//! says). Each call carries the message's idempotency id.

use super::{Params, SmsConfig, provider_params};
use hmac::{Hmac, Mac};
use ow_shared::mask::mask_mobile;
use std::collections::BTreeMap;
use std::time::Duration;

/// Which gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Adapter {
    Log,
    Http,
    Aliyun,
}

/// One message on its way out.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub idempotency_id: String,
    pub mobile: String,
    pub template: String,
    pub params: Params,
    /// The rendered text, signature included.
    pub text: String,
}

/// Why a send did not go through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    /// The gateway refused this message for good (a bad number, no such template):
    /// retrying cannot help.
    pub permanent: bool,
    pub reason: String,
}

impl SendError {
    fn retry(reason: impl Into<String>) -> SendError {
        SendError { permanent: false, reason: reason.into() }
    }

    fn permanent(reason: impl Into<String>) -> SendError {
        SendError { permanent: true, reason: reason.into() }
    }
}

/// A configured gateway.
pub struct Gateway {
    adapter: Adapter,
    client: reqwest::Client,
    config: SmsConfig,
    /// The site's address, for the links in texts.
    site: String,
}

impl Gateway {
    pub fn new(config: SmsConfig, site: String) -> Result<Gateway, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(config.timeout_ms.max(1)))
            .build()
            .map_err(|e| e.to_string())?;
        match config.adapter {
            Adapter::Http if config.http_url.is_none() => return Err("--sms-http-url is required".into()),
            Adapter::Aliyun if config.aliyun_access_key_id.is_empty() || config.aliyun_access_key_secret.is_empty() => {
                return Err("--sms-aliyun-access-key-id and --sms-aliyun-access-key-secret are required".into());
            }
            _ => {}
        }
        Ok(Gateway { adapter: config.adapter, client, config, site })
    }

    /// The site's address the texts link to.
    pub fn site(&self) -> &str {
        &self.site
    }

    /// The signature the texts start with.
    pub fn sign_name(&self) -> &str {
        &self.config.sign_name
    }

    /// Sends one message.
    pub async fn send(&self, message: &Outgoing) -> Result<(), SendError> {
        match self.adapter {
            Adapter::Log => {
                // Demo mode: the console shows the text; the log never gets the full number.
                tracing::info!(to = %mask_mobile(&message.mobile), id = %message.idempotency_id, text = %message.text,
                    "短信（演示模式，未发送）");
                Ok(())
            }
            Adapter::Http => self.send_http(message).await,
            Adapter::Aliyun => self.send_aliyun(message).await,
        }
    }

    async fn send_http(&self, message: &Outgoing) -> Result<(), SendError> {
        let url = self.config.http_url.as_deref().unwrap_or_default();
        let fields = field_names(&self.config.http_fields);
        let name = |ours: &str| fields.get(ours).cloned().unwrap_or_else(|| ours.to_string());
        let mut body = serde_json::Map::new();
        body.insert(name("id"), message.idempotency_id.clone().into());
        body.insert(name("mobile"), message.mobile.clone().into());
        body.insert(name("text"), message.text.clone().into());
        body.insert(name("template"), message.template.clone().into());
        let params = provider_params(&message.params, &self.site);
        body.insert(name("params"), serde_json::to_value(params).unwrap_or_default());
        let body = serde_json::Value::Object(body).to_string();
        let timestamp = (crate::clock::now_ms() / 1000).to_string();
        let signature = http_signature(&self.config.http_secret, &timestamp, body.as_bytes());
        let response = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("idempotency-key", &message.idempotency_id)
            .header("x-timestamp", &timestamp)
            .header("x-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(|e| SendError::retry(describe(&e)))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let reason = format!("HTTP {}", status.as_u16());
        // A refusal of this very message will not change on a retry; a busy or broken
        // gateway (5xx, 408, 429) may.
        if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
            Err(SendError::permanent(reason))
        } else {
            Err(SendError::retry(reason))
        }
    }

    async fn send_aliyun(&self, message: &Outgoing) -> Result<(), SendError> {
        let templates = field_names(&self.config.aliyun_templates);
        let template_code = templates
            .get(&message.template)
            .ok_or_else(|| SendError::permanent(format!("no TemplateCode configured for {}", message.template)))?;
        let template_param = serde_json::to_string(&provider_params(&message.params, &self.site)).unwrap_or_default();
        let timestamp = time::OffsetDateTime::now_utc()
            .format(time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"))
            .unwrap_or_default();
        let params = aliyun_params(AliyunRequest {
            access_key_id: &self.config.aliyun_access_key_id,
            phone: &message.mobile,
            sign_name: &self.config.sign_name,
            template_code,
            template_param: &template_param,
            out_id: &message.idempotency_id,
            nonce: &super::new_idempotency_id(),
            timestamp: &timestamp,
        });
        let signature = aliyun_signature(&self.config.aliyun_access_key_secret, "GET", &params);
        let url = format!(
            "{}?Signature={}&{}",
            self.config.aliyun_endpoint,
            percent_encode(&signature),
            canonical_query(&params)
        );
        let response = self.client.get(url).send().await.map_err(|e| SendError::retry(describe(&e)))?;
        let status = response.status();
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        let code = body["Code"].as_str().unwrap_or_default();
        if status.is_success() && code == "OK" {
            return Ok(());
        }
        let reason = format!("HTTP {} {code} {}", status.as_u16(), body["Message"].as_str().unwrap_or_default());
        // isv.* codes refuse the request itself (bad number, template, signature), except
        // the flow controls, which pass.
        if code.starts_with("isv.") && code != "isv.BUSINESS_LIMIT_CONTROL" {
            Err(SendError::permanent(reason))
        } else {
            Err(SendError::retry(reason))
        }
    }
}

/// What a send error says, without the URL (it carries the request's parameters).
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connection refused".into()
    } else {
        "request failed".into()
    }
}

/// `a=b,c=d` pairs.
fn field_names(pairs: &str) -> BTreeMap<String, String> {
    pairs
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .collect()
}

/// The `http` gateway's signature: lowercase hex of HMAC-SHA256 with the shared secret
/// over `{timestamp}.{body}` (the `X-Timestamp` header, a dot, the exact body bytes).
pub fn http_signature(secret: &str, timestamp: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// One SendSms request's own values.
pub struct AliyunRequest<'a> {
    pub access_key_id: &'a str,
    pub phone: &'a str,
    pub sign_name: &'a str,
    pub template_code: &'a str,
    pub template_param: &'a str,
    pub out_id: &'a str,
    pub nonce: &'a str,
    /// UTC, `YYYY-MM-DDThh:mm:ssZ`.
    pub timestamp: &'a str,
}

/// SendSms's parameters (API version 2017-05-25), sorted, without the signature.
pub fn aliyun_params(r: AliyunRequest) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("AccessKeyId", r.access_key_id.to_string()),
        ("Action", "SendSms".into()),
        ("Format", "JSON".into()),
        ("OutId", r.out_id.to_string()),
        ("PhoneNumbers", r.phone.to_string()),
        ("RegionId", "cn-hangzhou".into()),
        ("SignName", r.sign_name.to_string()),
        ("SignatureMethod", "HMAC-SHA1".into()),
        ("SignatureNonce", r.nonce.to_string()),
        ("SignatureVersion", "1.0".into()),
        ("TemplateCode", r.template_code.to_string()),
        ("TemplateParam", r.template_param.to_string()),
        ("Timestamp", r.timestamp.to_string()),
        ("Version", "2017-05-25".into()),
    ])
}

/// Alibaba Cloud's percent-encoding (RFC 3986): only `A-Z a-z 0-9 - _ . ~` stay, every
/// other UTF-8 byte is `%XY` (upper-case), a space is `%20`.
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The canonicalized query string: encoded `key=value` pairs, sorted by key, joined by `&`.
pub fn canonical_query<K: AsRef<str>>(params: &BTreeMap<K, String>) -> String {
    let mut pairs: Vec<(String, String)> =
        params.iter().map(|(k, v)| (percent_encode(k.as_ref()), percent_encode(v))).collect();
    pairs.sort();
    pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

/// The RPC signature (SignatureVersion 1.0): Base64 of HMAC-SHA1 with key
/// `AccessKeySecret + "&"` over `METHOD&%2F&percentEncode(canonical query)`.
pub fn aliyun_signature<K: AsRef<str>>(secret: &str, method: &str, params: &BTreeMap<K, String>) -> String {
    use base64::Engine;
    let string_to_sign = format!("{method}&{}&{}", percent_encode("/"), percent_encode(&canonical_query(params)));
    let mut mac =
        Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes()).expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of Alibaba Cloud SMS's "HTTP协议及签名" documentation
    /// (AccessKey testId / testSecret, SendSms of 2017-07-12): its published signature.
    #[test]
    fn aliyun_signature_matches_the_documented_example() {
        let params: BTreeMap<&str, String> = [
            ("AccessKeyId", "testId"),
            ("Action", "SendSms"),
            ("Format", "XML"),
            ("OutId", "123"),
            ("PhoneNumbers", "15300000001"),
            ("RegionId", "cn-hangzhou"),
            ("SignName", "阿里云短信测试专用"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"),
            ("SignatureVersion", "1.0"),
            ("TemplateCode", "SMS_71390007"),
            ("TemplateParam", "{\"customer\":\"test\"}"),
            ("Timestamp", "2017-07-12T02:42:19Z"),
            ("Version", "2017-05-25"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect();
        assert_eq!(aliyun_signature("testSecret", "GET", &params), "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
        assert_eq!(percent_encode("zJDF+Lrzhj/ThnlvIToysFRq6t4="), "zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D");
    }

    #[test]
    fn percent_encoding_follows_rfc_3986() {
        assert_eq!(percent_encode("a b*~"), "a%20b%2A~");
        assert_eq!(percent_encode("短"), "%E7%9F%AD");
    }

    #[test]
    fn http_signature_is_hmac_sha256_hex_over_timestamp_dot_body() {
        // As computed independently (Python's hmac module) for the README's example.
        assert_eq!(
            http_signature("shared-secret", "1764979200", br#"{"id":"x"}"#),
            "2c9a9f41b651322efaeff441568b7fd889b8c4f63a1d0433911711f5f7a46a3a"
        );
    }

    #[test]
    fn field_names_map_ours_to_theirs() {
        let map = field_names("mobile=phone, text=content,bad");
        assert_eq!(map.get("mobile").map(String::as_str), Some("phone"));
        assert_eq!(map.get("text").map(String::as_str), Some("content"));
        assert_eq!(map.len(), 2);
    }
}
