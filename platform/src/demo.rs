//! Demo traffic: realistic events for all four sources (`shared/api.md` §2) and the directory
//! their ids resolve against.
//!
//! `sluice demo` feeds it to a running platform so a fresh install has something to stream,
//! filter and enrich; benchmarks draw a million events from it, so the hot path only draws
//! numbers and builds the JSON map. Everything comes from one seeded RNG, so a benchmark run or a
//! failing test can be replayed exactly. About one event in ten names a principal the directory
//! does not know, because real directories lag behind real traffic and enrichment has to leave
//! such ids alone.

use crate::model::{DirectoryAdmin, DirectoryApp, DirectoryImport, DirectoryUser, EventType};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde_json::{json, Map, Value};
use vocab::*;

/// An event under construction: a flat JSON object, in insertion order.
type Event = Map<String, Value>;

/// Share of events whose user / actor id (and then half the time app id) is not in the directory.
const UNRESOLVED_SHARE: f64 = 0.1;
/// Risk scores below this are allowed, from [`DENY_FROM`] on denied, in between challenged.
const CHALLENGE_FROM: u64 = 40;
const DENY_FROM: u64 = 75;

/// What the events are made of. Dense by hand: one entry a line would triple the file.
/// Repeated entries weight the uniform draw.
#[rustfmt::skip]
mod vocab {
    use crate::model::EventType;

    pub const FIRST_NAMES: [&str; 20] = ["james", "mary", "li", "fatima", "carlos", "aisha", "noah",
        "sofia", "yuki", "omar", "emma", "raj", "elena", "kwame", "hannah", "diego", "mei", "lucas",
        "priya", "tom"];
    pub const LAST_NAMES: [&str; 20] = ["smith", "garcia", "chen", "khan", "muller", "rossi", "tanaka",
        "okafor", "novak", "silva", "patel", "dubois", "kim", "haddad", "johansson", "nguyen",
        "kowalski", "murphy", "cohen", "santos"];
    pub const MAIL_DOMAINS: [&str; 6] =
        ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "example.org"];
    pub const APP_NAMES: [&str; 8] = ["Acme Web Portal", "Mobile Banking iOS", "Mobile Banking Android",
        "Partner API Gateway", "Customer Support Console", "Loyalty Rewards", "Checkout Service",
        "Merchant Dashboard"];
    pub const ADMINS: [(&str, &[&str]); 6] = [
        ("dana.whitfield@acme-corp.com", &["Security Admins"]),
        ("marcus.lee@acme-corp.com", &["Support", "Read Only"]),
        ("ingrid.berg@acme-corp.com", &["Super Admins"]),
        ("sam.ortiz@acme-corp.com", &["App Managers"]),
        ("nadia.farouk@acme-corp.com", &["Security Admins", "Auditors"]),
        ("peter.wong@acme-corp.com", &["Support"]),
    ];
    /// The first four are desktop browsers, the only ones admins use.
    pub const USER_AGENTS: [&str; 7] = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
        "MobileBanking/5.12.0 (iPhone; iOS 17.4.1; Scale/3.00)",
    ];
    /// First octets of publicly routed blocks, so no address looks private or reserved.
    pub const PUBLIC_FIRST_OCTETS: [u8; 16] =
        [23, 31, 45, 52, 62, 81, 89, 93, 104, 141, 151, 178, 185, 188, 203, 212];
    pub const LOCATIONS: [(&str, &str); 12] = [("US", "New York"), ("US", "San Francisco"),
        ("GB", "London"), ("DE", "Berlin"), ("FR", "Paris"), ("IL", "Tel Aviv"), ("BR", "São Paulo"),
        ("JP", "Tokyo"), ("IN", "Bengaluru"), ("CA", "Toronto"), ("AU", "Sydney"), ("NL", "Amsterdam")];

    /// Customer-facing sources dominate real tenants' traffic; admin activity is rare.
    pub const SOURCE_MIX: [(EventType, u32); 4] =
        [(EventType::Cis, 50), (EventType::Risk, 25), (EventType::Verify, 15), (EventType::Admin, 10)];
    pub const CIS_ACTIVITIES: [(&str, u32); 8] = [("user_login_succeeded", 35), ("user_login_failed", 12),
        ("mfa_challenge_sent", 12), ("mfa_challenge_succeeded", 10), ("user_created", 6),
        ("user_updated", 7), ("password_reset_requested", 6), ("journey_completed", 12)];
    pub const RISK_ACTIVITIES: [(&str, u32); 2] = [("risk_recommendation", 3), ("action_event_reported", 1)];
    pub const VERIFY_ACTIVITIES: [(&str, u32); 3] = [("verification_session_started", 2),
        ("document_verification_completed", 3), ("selfie_verification_completed", 3)];
    pub const ADMIN_ACTIVITIES: [(&str, u32); 5] = [("admin_login", 4), ("app_settings_updated", 3),
        ("role_assigned", 2), ("user_blocked", 2), ("api_client_created", 1)];

    pub const AUTH_METHODS: [&str; 6] =
        ["password", "password", "password", "passkey", "social_google", "magic_link"];
    pub const LOGIN_FAILURES: [&str; 4] =
        ["invalid_credentials", "invalid_credentials", "account_locked", "password_expired"];
    pub const MFA_METHODS: [&str; 6] = ["sms", "sms", "email", "email", "totp", "passkey"];
    pub const SIGNUP_SOURCES: [&str; 3] = ["web_signup", "mobile_signup", "admin_import"];
    pub const PROFILE_FIELDS: [&str; 6] =
        ["email", "phone_number", "given_name", "family_name", "address", "birthdate"];
    pub const JOURNEYS: [(&str, &str); 4] = [("jrn_onboarding_v3", "Customer Onboarding"),
        ("jrn_stepup_payment", "Step-up for High-Value Payment"),
        ("jrn_account_recovery", "Account Recovery"), ("jrn_progressive_profile", "Progressive Profiling")];

    pub const ACTION_TYPES: [&str; 6] =
        ["login", "login", "login", "register", "transaction", "password_reset"];
    pub const SDKS: [&str; 3] = ["web-sdk/3.4.1", "ios-sdk/2.9.0", "android-sdk/2.8.3"];
    pub const RISK_REASONS: [&str; 8] = ["new_device", "impossible_travel", "bot_detected",
        "tor_exit_node", "high_velocity", "suspicious_ip_reputation", "emulator_detected",
        "credential_stuffing_pattern"];

    pub const DOCUMENT_TYPES: [&str; 3] = ["passport", "drivers_license", "id_card"];
    pub const FLOWS: [&str; 3] = ["onboarding", "step_up", "account_recovery"];
    pub const VERIFY_RESULTS: [&str; 10] = ["approved", "approved", "approved", "approved", "approved",
        "approved", "approved", "rejected", "rejected", "manual_review"];
    pub const DOCUMENT_REJECTIONS: [&str; 4] =
        ["document_expired", "document_damaged", "tampering_detected", "unsupported_document"];

    pub const ROLE_CHANGES: [(&str, &[&str], &[&str]); 3] = [
        ("role_security_admins", &["Support"], &["Support", "Security Admins"]),
        ("role_app_managers", &["Read Only"], &["App Managers"]),
        ("role_auditors", &[], &["Auditors"]),
    ];
    pub const BLOCK_REASONS: [&str; 3] =
        ["suspected_account_takeover", "chargeback_fraud", "terms_violation"];
    pub const API_CLIENTS: [(&str, &[&str]); 3] = [("Reporting Export", &["events:read"]),
        ("CRM Sync", &["users:read", "users:write"]), ("SIEM Connector", &["events:read", "audit:read"])];
}

/// Deterministic for a given seed.
#[derive(Debug, Clone)]
pub struct DemoGenerator {
    rng: StdRng,
    directory: DirectoryImport,
    /// Ids shaped like the directory's but absent from it, reused so unknown principals recur
    /// the way real not-yet-imported ones do.
    stray_users: Vec<String>,
    stray_apps: Vec<String>,
    stray_admins: Vec<String>,
    /// Events handed out by `next_event`: the first four cover every source, so even a short
    /// demo shows all of them.
    emitted: usize,
}

impl DemoGenerator {
    /// A generator whose directory and events are fully determined by `seed`.
    pub fn new(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let users: Vec<_> = (0..200)
            .map(|i| {
                // (i % 20, (i / 20 + 3i) % 20) never repeats below 400, so emails are unique.
                let (first, last) = (FIRST_NAMES[i % 20], LAST_NAMES[(i / 20 + 3 * i) % 20]);
                let domain = pick(&mut rng, &MAIL_DOMAINS);
                let email = match rng.gen_range(0..100) {
                    n @ 1..=40 => format!("{first}.{last}{n}@{domain}"),
                    _ => format!("{first}.{last}@{domain}"),
                };
                DirectoryUser {
                    user_id: uuid(&mut rng),
                    email,
                }
            })
            .collect();
        let apps: Vec<_> = APP_NAMES
            .iter()
            .map(|name| DirectoryApp {
                app_id: prefixed("app_", &mut rng),
                name: (*name).into(),
            })
            .collect();
        let admins: Vec<_> = ADMINS
            .iter()
            .map(|(email, groups)| DirectoryAdmin {
                admin_id: prefixed("adm_", &mut rng),
                email: (*email).into(),
                role_groups: groups.iter().map(|g| (*g).into()).collect(),
            })
            .collect();
        let known: Vec<_> = users.iter().map(|u| u.user_id.as_str()).collect();
        let stray_users = strays(&mut rng, 40, &known, uuid);
        let known: Vec<_> = apps.iter().map(|a| a.app_id.as_str()).collect();
        let stray_apps = strays(&mut rng, 3, &known, |r| prefixed("app_", r));
        let known: Vec<_> = admins.iter().map(|a| a.admin_id.as_str()).collect();
        let stray_admins = strays(&mut rng, 2, &known, |r| prefixed("adm_", r));
        Self {
            rng,
            directory: DirectoryImport {
                users,
                apps,
                admins,
            },
            stray_users,
            stray_apps,
            stray_admins,
            emitted: 0,
        }
    }

    /// The users (200), apps (8) and admins (6) whose ids the events use; import it so
    /// enrichment shows real emails, app names and role groups.
    pub fn directory(&self) -> DirectoryImport {
        self.directory.clone()
    }

    /// One event of `source` as a flat JSON object, without `event_id` and `tenant_id` (assigned
    /// at ingestion): `type`, `activity`, `timestamp` (RFC 3339 UTC, milliseconds, `Z`),
    /// `app_id`, the source's own fields, then `ip` and `user_agent`.
    pub fn event(&mut self, source: EventType, timestamp: DateTime<Utc>) -> Map<String, Value> {
        let unresolved = self.rng.gen_bool(UNRESOLVED_SHARE);
        let activities = match source {
            EventType::Cis => &CIS_ACTIVITIES[..],
            EventType::Risk => &RISK_ACTIVITIES[..],
            EventType::Verify => &VERIFY_ACTIVITIES[..],
            EventType::Admin => &ADMIN_ACTIVITIES[..],
        };
        let activity = weighted(&mut self.rng, activities);
        let mut e = Map::with_capacity(16);
        put(&mut e, "type", source.as_str());
        put(&mut e, "activity", activity);
        put(&mut e, "timestamp", millis(timestamp));
        // Half the unknown principals come with an unknown app too, like a client registered
        // after the last directory import.
        let app_id = if unresolved && self.rng.gen_bool(0.5) {
            pick(&mut self.rng, &self.stray_apps).clone()
        } else {
            pick(&mut self.rng, &self.directory.apps).app_id.clone()
        };
        put(&mut e, "app_id", app_id);
        match source {
            EventType::Cis => self.cis(&mut e, activity, unresolved),
            EventType::Risk => self.risk(&mut e, activity, unresolved),
            EventType::Verify => self.verify(&mut e, activity, unresolved),
            EventType::Admin => self.admin(&mut e, activity, unresolved, timestamp),
        }
        put(&mut e, "ip", public_ip(&mut self.rng));
        let agents = match source {
            EventType::Admin => &USER_AGENTS[..4],
            _ => &USER_AGENTS[..],
        };
        put(&mut e, "user_agent", self.one(agents));
        e
    }

    /// An event of a randomly chosen source (cis about half the time), via [`Self::event`].
    pub fn next_event(&mut self, timestamp: DateTime<Utc>) -> Map<String, Value> {
        let source = match EventType::ALL.get(self.emitted) {
            Some(&first_round) => first_round,
            None => weighted(&mut self.rng, &SOURCE_MIX),
        };
        self.emitted += 1;
        self.event(source, timestamp)
    }

    fn cis(&mut self, e: &mut Event, activity: &str, unresolved: bool) {
        put(e, "user_id", self.user_id(unresolved));
        put(e, "session_id", uuid(&mut self.rng));
        put(e, "auth_method", self.one(&AUTH_METHODS));
        match activity {
            "user_login_succeeded" => put(e, "result", "success"),
            "user_login_failed" => {
                put(e, "result", "failure");
                put(e, "failure_reason", self.one(&LOGIN_FAILURES));
            }
            "mfa_challenge_sent" | "mfa_challenge_succeeded" => {
                put(e, "mfa_method", self.one(&MFA_METHODS))
            }
            "user_created" => put(e, "registration_source", self.one(&SIGNUP_SOURCES)),
            "user_updated" => {
                let count = self.rng.gen_range(1..=2);
                put(e, "updated_fields", self.some_of(&PROFILE_FIELDS, count));
            }
            "password_reset_requested" => put(e, "delivery_channel", self.one(&["email", "sms"])),
            "journey_completed" => {
                let (id, name) = *pick(&mut self.rng, &JOURNEYS);
                put(e, "journey_id", id);
                put(e, "journey_name", name);
                put(e, "duration_ms", self.rng.gen_range(800..45_000u32));
            }
            _ => {}
        }
        let (country, city) = *pick(&mut self.rng, &LOCATIONS);
        put(e, "location", json!({ "country": country, "city": city }));
    }

    fn risk(&mut self, e: &mut Event, activity: &str, unresolved: bool) {
        put(e, "user_id", self.user_id(unresolved));
        put(e, "action_id", uuid(&mut self.rng));
        put(e, "action_type", self.one(&ACTION_TYPES));
        put(e, "device_id", prefixed("dev_", &mut self.rng));
        if activity != "risk_recommendation" {
            return put(e, "sdk", self.one(&SDKS));
        }
        // Mostly benign traffic, with a tail of challenges and denials.
        let rng = &mut self.rng;
        let score = match rng.gen_range(0..10) {
            0..=6 => rng.gen_range(0..CHALLENGE_FROM),
            7 | 8 => rng.gen_range(CHALLENGE_FROM..DENY_FROM),
            _ => rng.gen_range(DENY_FROM..=100),
        };
        let (recommendation, reasons) = match score {
            s if s < CHALLENGE_FROM => ("ALLOW", 0),
            s if s < DENY_FROM => ("CHALLENGE", rng.gen_range(1..=2)),
            _ => ("DENY", rng.gen_range(2..=3)),
        };
        put(e, "recommendation", recommendation);
        put(e, "risk_score", score);
        put(e, "reasons", self.some_of(&RISK_REASONS, reasons));
    }

    fn verify(&mut self, e: &mut Event, activity: &str, unresolved: bool) {
        put(e, "user_id", self.user_id(unresolved));
        put(e, "verification_id", uuid(&mut self.rng));
        put(e, "document_type", self.one(&DOCUMENT_TYPES));
        put(e, "issuing_country", pick(&mut self.rng, &LOCATIONS).0);
        if activity == "verification_session_started" {
            return put(e, "flow", self.one(&FLOWS));
        }
        let result = self.one(&VERIFY_RESULTS);
        put(e, "result", result);
        let rng = &mut self.rng;
        let rejection = if activity == "document_verification_completed" {
            (result == "rejected").then(|| *pick(rng, &DOCUMENT_REJECTIONS))
        } else {
            // Scores agree with the result: high when approved, borderline under review, and
            // one of the two clearly failing when rejected.
            let (liveness, face, reason) = match result {
                "approved" => ((0.85, 0.99), (0.80, 0.99), None),
                "manual_review" => ((0.55, 0.80), (0.55, 0.80), None),
                _ if rng.gen_bool(0.5) => ((0.05, 0.4), (0.6, 0.95), Some("liveness_check_failed")),
                _ => ((0.70, 0.98), (0.05, 0.45), Some("face_mismatch")),
            };
            put(e, "liveness_score", score2(rng, liveness));
            put(e, "face_match_score", score2(rng, face));
            reason
        };
        if let Some(reason) = rejection {
            put(e, "rejection_reason", reason);
        }
    }

    fn admin(&mut self, e: &mut Event, activity: &str, unresolved: bool, at: DateTime<Utc>) {
        let rng = &mut self.rng;
        let actor = match unresolved {
            true => pick(rng, &self.stray_admins).clone(),
            false => pick(rng, &self.directory.admins).admin_id.clone(),
        };
        put(e, "actor_id", actor);
        put(e, "actor_type", "admin");
        let app = e.get("app_id").cloned().unwrap_or_default();
        let (kind, target, change) = match activity {
            "admin_login" => {
                let before = at - Duration::minutes(rng.gen_range(30..10_000));
                let change = params("last_login_at", millis(before), millis(at));
                ("application", app, change)
            }
            "app_settings_updated" => {
                let change = match rng.gen_range(0..5) {
                    0 => params("mfa_policy", "optional", "required"),
                    1 => params("session_timeout_minutes", 30, 15),
                    2 => params("password_min_length", 8, 12),
                    3 => params("passkeys_enabled", false, true),
                    _ => params("refresh_token_ttl_days", 30, 7),
                };
                ("application", app, change)
            }
            "role_assigned" => {
                let (role, prev, current) = *pick(rng, &ROLE_CHANGES);
                let mut change = params("role_groups", prev, current);
                change["assignee_id"] = pick(rng, &self.directory.admins).admin_id.clone().into();
                ("role", role.into(), change)
            }
            "user_blocked" => {
                let user = pick(rng, &self.directory.users).user_id.clone();
                let mut change = params("status", "active", "blocked");
                change["reason"] = (*pick(rng, &BLOCK_REASONS)).into();
                ("user", user.into(), change)
            }
            _ => {
                let (name, scopes) = *pick(rng, &API_CLIENTS);
                let change = params(
                    "api_client",
                    Value::Null,
                    json!({ "name": name, "scopes": scopes }),
                );
                ("api_client", prefixed("cli_", rng).into(), change)
            }
        };
        put(e, "target_resource_id", target);
        put(e, "target_resource_type", kind);
        put(e, "additionalParams", change);
    }

    fn user_id(&mut self, unresolved: bool) -> String {
        match unresolved {
            true => pick(&mut self.rng, &self.stray_users).clone(),
            false => pick(&mut self.rng, &self.directory.users).user_id.clone(),
        }
    }

    fn one(&mut self, items: &[&'static str]) -> &'static str {
        pick::<&str>(&mut self.rng, items)
    }

    /// `count` different entries of `items`; `count` must not exceed the distinct entries.
    fn some_of(&mut self, items: &[&'static str], count: usize) -> Vec<&'static str> {
        let mut chosen = Vec::with_capacity(count);
        while chosen.len() < count {
            let item = self.one(items);
            if !chosen.contains(&item) {
                chosen.push(item);
            }
        }
        chosen
    }
}

fn put(e: &mut Event, key: &str, value: impl Into<Value>) {
    e.insert(key.to_owned(), value.into());
}

/// The `additionalParams` of an admin event: which field changed, from what, to what.
fn params(field: &str, prev: impl Into<Value>, current: impl Into<Value>) -> Value {
    json!({ "field": field, "prev": prev.into(), "current": current.into() })
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let mut roll = rng.gen_range(0..items.iter().map(|(_, w)| w).sum::<u32>());
    for &(item, weight) in items {
        if roll < weight {
            return item;
        }
        roll -= weight;
    }
    // Unreachable, as roll < total weight; the last item is the right answer anyway.
    items[items.len() - 1].0
}

/// A version-4 UUID, the shape user, session and verification ids have in the wild.
fn uuid(rng: &mut StdRng) -> String {
    let v: u128 = rng.gen::<u128>() & !(0xf << 76 | 0x3 << 62) | (0x4 << 76 | 0x2 << 62);
    let mut id = format!("{v:032x}");
    // Back to front, so each insertion leaves the earlier positions in place.
    for at in [20, 16, 12, 8] {
        id.insert(at, '-');
    }
    id
}

fn prefixed(prefix: &str, rng: &mut StdRng) -> String {
    format!("{prefix}{:016x}", rng.gen::<u64>())
}

fn public_ip(rng: &mut StdRng) -> String {
    let first = pick(rng, &PUBLIC_FIRST_OCTETS);
    let (b, c, d) = (rng.gen::<u8>(), rng.gen::<u8>(), rng.gen_range(1..255u8));
    format!("{first}.{b}.{c}.{d}")
}

/// A score in [lo, hi) rounded to two decimals, as verification vendors report them.
fn score2(rng: &mut StdRng, (lo, hi): (f64, f64)) -> f64 {
    (rng.gen_range(lo..hi) * 100.0).round() / 100.0
}

fn millis(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `n` ids from `make` that `known` lacks. A clash is astronomically unlikely, but "not in the
/// directory" is a promise, so it is checked rather than assumed.
fn strays(
    rng: &mut StdRng,
    n: usize,
    known: &[&str],
    make: fn(&mut StdRng) -> String,
) -> Vec<String> {
    let fresh = std::iter::repeat_with(|| make(rng));
    fresh
        .filter(|id| !known.contains(&id.as_str()))
        .take(n)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::collections::{HashMap, HashSet};

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 1, 20, 23).unwrap() + Duration::milliseconds(456)
    }

    fn text<'a>(e: &'a Event, key: &str) -> &'a str {
        e.get(key)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no {key} in {e:?}"))
    }

    #[test]
    fn same_seed_gives_same_directory_and_events() {
        let run = |seed| {
            let mut g = DemoGenerator::new(seed);
            let events: Vec<_> = (0..500).map(|_| g.next_event(at())).collect();
            (g.directory(), events)
        };
        let ((d, a), (_, b), (other, c)) = (run(7), run(7), run(8));
        assert!(a == b && d != other && a != c);
        let emails: HashSet<_> = d.users.iter().map(|u| &u.email).collect();
        assert_eq!((emails.len(), d.apps.len(), d.admins.len()), (200, 8, 6));
        let groups: Vec<_> = d.admins.iter().map(|a| a.role_groups.join(", ")).collect();
        assert!(groups.iter().any(|g| g == "Support, Read Only"));
    }

    #[test]
    fn every_source_has_common_and_own_fields() {
        let mut g = DemoGenerator::new(3);
        for (source, _) in SOURCE_MIX.iter().cycle().take(1200) {
            let e = g.event(*source, at());
            assert_eq!(text(&e, "type"), source.as_str());
            assert_eq!(text(&e, "timestamp"), "2026-11-01T01:20:23.456Z");
            assert!(!e.contains_key("event_id") && !e.contains_key("tenant_id"));
            let own: &[&str] = match source {
                EventType::Admin => &["actor_id", "actor_type", "target_resource_type"],
                _ => &["user_id"],
            };
            for key in ["activity", "app_id", "ip", "user_agent"].iter().chain(own) {
                assert!(!text(&e, key).is_empty());
            }
            if let Some(params) = e.get("additionalParams") {
                assert!(params.get("prev").is_some() && params.get("current").is_some());
            }
            if e.get("result").is_some_and(|r| r == "rejected") {
                text(&e, "rejection_reason");
            }
        }
    }

    #[test]
    fn events_are_realistically_sized_and_mostly_cis() {
        let mut g = DemoGenerator::new(11);
        let mut per_source = HashMap::<String, (usize, usize)>::new();
        for _ in 0..1000 {
            let e = g.next_event(at());
            let size = serde_json::to_string(&e).unwrap().len();
            let (count, bytes) = per_source.entry(text(&e, "type").to_owned()).or_default();
            (*count, *bytes) = (*count + 1, *bytes + size);
        }
        let average = per_source.values().map(|&(_, bytes)| bytes).sum::<usize>() / 1000;
        assert!((350..=700).contains(&average), "average {average} bytes");
        for (source, &(count, bytes)) in &per_source {
            let average = bytes / count;
            assert!((300..=750).contains(&average), "{source}: {average} bytes");
        }
        assert_eq!(per_source.len(), 4);
        assert!(per_source.values().all(|&(n, _)| n <= per_source["cis"].0));
    }

    #[test]
    fn about_a_tenth_of_events_name_unknown_ids() {
        let mut g = DemoGenerator::new(5);
        let d = g.directory();
        let known: HashSet<&str> = (d.users.iter().map(|u| u.user_id.as_str()))
            .chain(d.apps.iter().map(|a| a.app_id.as_str()))
            .chain(d.admins.iter().map(|a| a.admin_id.as_str()))
            .collect();
        let (mut principals, mut apps) = (0, 0);
        for _ in 0..5000 {
            let e = g.next_event(at());
            let principal = e.get("actor_id").or(e.get("user_id"));
            let principal = !known.contains(principal.and_then(Value::as_str).unwrap());
            let app = !known.contains(text(&e, "app_id"));
            assert!(principal || !app, "unknown app, known principal: {e:?}");
            (principals, apps) = (principals + principal as usize, apps + app as usize);
        }
        assert!((400..=600).contains(&principals), "{principals} unresolved");
        assert!((150..=350).contains(&apps), "{apps} unknown apps");
    }

    #[test]
    fn risk_recommendation_follows_the_score() {
        let mut g = DemoGenerator::new(9);
        let mut seen = HashSet::new();
        for _ in 0..2000 {
            let e = g.event(EventType::Risk, at());
            let Some(score) = e.get("risk_score").and_then(Value::as_u64) else {
                continue;
            };
            let expected = match score {
                0..=39 => "ALLOW",
                40..=74 => "CHALLENGE",
                75..=100 => "DENY",
                _ => panic!("score {score} out of range"),
            };
            assert_eq!(text(&e, "recommendation"), expected, "{e:?}");
            let reasons: Vec<_> = e["reasons"].as_array().unwrap().iter().collect();
            let distinct: HashSet<_> = reasons.iter().map(|r| r.as_str().unwrap()).collect();
            assert_eq!(distinct.len(), reasons.len());
            assert_eq!(reasons.is_empty(), expected == "ALLOW", "{e:?}");
            seen.insert(expected);
        }
        assert_eq!(seen.len(), 3);
    }
}
