//! argon2id hashing and verification, always off the async runtime.

use std::sync::Arc;

use anyhow::anyhow;
use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};

use crate::config::HashingSettings;
use crate::error::{AppError, AppResult};

/// Hashes and verifies passwords on the blocking thread pool, at most `cores − 1` at a time
/// (at least one), so that a burst of sign-ins queues behind itself instead of taking every
/// core from the requests of people already signed in.
#[derive(Clone)]
pub struct Hasher {
    params: Params,
    slots: Arc<tokio::sync::Semaphore>,
    /// A real hash of a random password, verified against when an account does not exist so
    /// that both answers take the same time.
    dummy_hash: Arc<String>,
}

impl Hasher {
    pub fn new(settings: &HashingSettings) -> anyhow::Result<Self> {
        let params = Params::new(
            settings.memory_kib,
            settings.iterations,
            settings.parallelism,
            None,
        )
        .map_err(|e| anyhow!("invalid argon2 parameters: {e}"))?;
        let dummy = super::tokens::random_token();
        let dummy_hash = hash_blocking(&params, &dummy)?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Ok(Self {
            params,
            slots: Arc::new(tokio::sync::Semaphore::new(cores.saturating_sub(1).max(1))),
            dummy_hash: Arc::new(dummy_hash),
        })
    }

    async fn slot(&self) -> AppResult<tokio::sync::OwnedSemaphorePermit> {
        self.slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| AppError::Unexpected(anyhow!("hashing slots closed: {e}")))
    }

    pub async fn hash(&self, password: &str) -> AppResult<String> {
        let slot = self.slot().await?;
        let params = self.params.clone();
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            hash_blocking(&params, &password)
        })
        .await
        .map_err(|e| AppError::Unexpected(anyhow!("hashing task failed: {e}")))?
        .map_err(AppError::Unexpected)
    }

    /// Verifies `password` against `hash`, or against the dummy hash when `hash` is `None`
    /// (unknown account), which always fails but costs the same.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> AppResult<bool> {
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.as_str().to_owned(), str::to_owned);
        let slot = self.slot().await?;
        let params = self.params.clone();
        let password = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            argon(&params)
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
        .map_err(|e| AppError::Unexpected(anyhow!("verification task failed: {e}")))?;
        Ok(known && matches)
    }
}

fn argon(params: &Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
}

fn hash_blocking(params: &Params, password: &str) -> anyhow::Result<String> {
    argon(params)
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("password hashing failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let hasher = Hasher::new(&HashingSettings::default()).unwrap();
        let hash = hasher.hash("correct horse battery").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            hasher
                .verify("correct horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("wrong horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert!(!hasher.verify("correct horse battery", None).await.unwrap());
    }
}
