//! Throttling of sign-in, registration and invitation acceptance against brute force and
//! credential stuffing: per account and per client address, with a clear "try again in N s".

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{AppError, AppResult};

/// Limits per account (e-mail address) and per client address.
#[derive(Clone)]
pub struct Throttle {
    per_account: Arc<DefaultKeyedRateLimiter<String>>,
    per_client: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    clock: DefaultClock,
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl Throttle {
    /// `account_per_minute` attempts per account and `client_per_minute` per client address.
    pub fn new(account_per_minute: u32, client_per_minute: u32) -> Self {
        Self {
            per_account: Arc::new(RateLimiter::keyed(quota(account_per_minute))),
            per_client: Arc::new(RateLimiter::keyed(quota(client_per_minute))),
            clock: DefaultClock::default(),
        }
    }

    fn wait_secs(&self, not_until: governor::NotUntil<<DefaultClock as Clock>::Instant>) -> u64 {
        not_until.wait_time_from(self.clock.now()).as_secs().max(1)
    }

    /// Counts one attempt for the account (when known) and the client; refuses when either is
    /// over its limit.
    pub fn check(&self, account: Option<&str>, client: Option<IpAddr>) -> AppResult<()> {
        if let Some(ip) = client
            && let Err(not_until) = self.per_client.check_key(&ip)
        {
            return Err(AppError::RateLimited(self.wait_secs(not_until)));
        }
        if let Some(account) = account
            && let Err(not_until) = self.per_account.check_key(&account.trim().to_lowercase())
        {
            return Err(AppError::RateLimited(self.wait_secs(not_until)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_throttled_after_its_quota_and_others_are_not() {
        let t = Throttle::new(3, 100);
        for _ in 0..3 {
            t.check(Some("anna@x.de"), None).unwrap();
        }
        match t.check(Some("Anna@x.de"), None) {
            Err(AppError::RateLimited(secs)) => assert!((1..=60).contains(&secs)),
            other => panic!("expected a rate limit, got {other:?}"),
        }
        assert!(t.check(Some("ben@x.de"), None).is_ok());
    }
}
