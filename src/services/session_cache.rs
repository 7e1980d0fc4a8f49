//! Sessions this instance checked against the database a moment ago, reused by reads.
//!
//! Every signed-in request reads its session and account; under search load that lookup was
//! a tenth of a request's cost. Reads (GET, HEAD) may reuse a session checked less than
//! `session.read_cache_ms` ago. Writes always check the database, and every write this
//! instance answers forgets all cached sessions, so a sign-out, a suspension or a removed
//! member takes effect here at once. A change made through another instance or the command
//! line reaches this instance's reads within `read_cache_ms`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::sessions::ActiveSession;

/// Far more sessions than one instance serves within a second; beyond it the cache starts over.
const MAX_ENTRIES: usize = 10_000;

pub struct SessionCache {
    max_age: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Counts the writes answered; a lookup that began before a write may not fill the cache.
    generation: u64,
    entries: HashMap<String, Entry>,
}

struct Entry {
    session: ActiveSession,
    checked: Instant,
    /// When the session must be looked at in the database again: it expires, or its last use
    /// is due to be recorded.
    valid_until: DateTime<Utc>,
}

/// Where a lookup started, to hand back with its result.
#[derive(Clone, Copy, Debug)]
pub struct Ticket(u64);

impl SessionCache {
    /// A cache whose entries serve reads for `max_age`; zero turns it off.
    pub fn new(max_age: Duration) -> Self {
        Self {
            max_age,
            state: Mutex::default(),
        }
    }

    /// The session of the token with hash `key`, if it was checked recently and is still
    /// valid at `now`; otherwise a ticket for [`SessionCache::put`].
    pub fn get(&self, key: &str, now: DateTime<Utc>) -> Result<ActiveSession, Ticket> {
        let Ok(state) = self.state.lock() else {
            return Err(Ticket(u64::MAX));
        };
        match state.entries.get(key) {
            Some(e) if e.checked.elapsed() < self.max_age && now < e.valid_until => {
                Ok(e.session.clone())
            }
            _ => Err(Ticket(state.generation)),
        }
    }

    /// Remembers a session just read from the database, unless a write was answered since the
    /// lookup began (the session may have changed under it).
    pub fn put(
        &self,
        ticket: Ticket,
        key: String,
        session: ActiveSession,
        valid_until: DateTime<Utc>,
    ) {
        if self.max_age.is_zero() {
            return;
        }
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if ticket.0 != state.generation {
            return;
        }
        if state.entries.len() >= MAX_ENTRIES {
            state.entries.clear();
        }
        state.entries.insert(
            key,
            Entry {
                session,
                checked: Instant::now(),
                valid_until,
            },
        );
    }

    /// Forgets every cached session: called after each write this instance answers.
    pub fn forget_all(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.generation += 1;
            state.entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Role, UserStatus};
    use crate::services::accounts::CurrentUser;

    fn session() -> ActiveSession {
        ActiveSession {
            user: CurrentUser {
                id: 7,
                email: "a@example.com".into(),
                handle: "a".into(),
                display_name: None,
                role: Role::Member,
                organization_id: None,
                locale: None,
                status: UserStatus::Active,
                email_verified: true,
                org_history: Vec::new(),
            },
            csrf_token: "c".into(),
        }
    }

    fn later(secs: i64) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::seconds(secs)
    }

    #[test]
    fn a_checked_session_is_reused_until_it_must_be_checked_again() {
        let cache = SessionCache::new(Duration::from_secs(60));
        let ticket = cache.get("k", Utc::now()).unwrap_err();
        cache.put(ticket, "k".into(), session(), later(30));
        assert_eq!(cache.get("k", Utc::now()).unwrap().user.id, 7);
        assert!(cache.get("other", Utc::now()).is_err());
        assert!(
            cache.get("k", later(31)).is_err(),
            "past its expiry or touch"
        );
    }

    #[test]
    fn entries_age_out() {
        let cache = SessionCache::new(Duration::from_millis(20));
        let ticket = cache.get("k", Utc::now()).unwrap_err();
        cache.put(ticket, "k".into(), session(), later(30));
        assert!(cache.get("k", Utc::now()).is_ok());
        std::thread::sleep(Duration::from_millis(30));
        assert!(cache.get("k", Utc::now()).is_err());
    }

    #[test]
    fn a_write_forgets_everything_and_refuses_lookups_that_began_before_it() {
        let cache = SessionCache::new(Duration::from_secs(60));
        let early = cache.get("k", Utc::now()).unwrap_err();
        cache.put(early, "k".into(), session(), later(30));
        let before_write = cache.get("j", Utc::now()).unwrap_err();
        cache.forget_all();
        assert!(cache.get("k", Utc::now()).is_err(), "forgotten");
        cache.put(before_write, "j".into(), session(), later(30));
        assert!(cache.get("j", Utc::now()).is_err(), "stale lookup not kept");
        let after = cache.get("j", Utc::now()).unwrap_err();
        cache.put(after, "j".into(), session(), later(30));
        assert!(cache.get("j", Utc::now()).is_ok());
    }

    #[test]
    fn zero_age_turns_it_off() {
        let cache = SessionCache::new(Duration::ZERO);
        let ticket = cache.get("k", Utc::now()).unwrap_err();
        cache.put(ticket, "k".into(), session(), later(30));
        assert!(cache.get("k", Utc::now()).is_err());
    }
}
