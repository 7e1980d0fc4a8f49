//! Roles and account states, stored as stable keys.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Member,
    Trainer,
    CompanyAdmin,
    PlatformAdmin,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Trainer => "trainer",
            Self::CompanyAdmin => "company_admin",
            Self::PlatformAdmin => "platform_admin",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "member" => Some(Self::Member),
            "trainer" => Some(Self::Trainer),
            "company_admin" => Some(Self::CompanyAdmin),
            "platform_admin" => Some(Self::PlatformAdmin),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserStatus {
    Active,
    Suspended,
    /// The person deleted their account; what remains is anonymous.
    Deleted,
}

impl UserStatus {
    pub fn key(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Deleted => "deleted",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "active" => Some(Self::Active),
            "suspended" => Some(Self::Suspended),
            "deleted" => Some(Self::Deleted),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for r in [
            Role::Member,
            Role::Trainer,
            Role::CompanyAdmin,
            Role::PlatformAdmin,
        ] {
            assert_eq!(Role::from_key(r.key()), Some(r));
        }
        for s in [
            UserStatus::Active,
            UserStatus::Suspended,
            UserStatus::Deleted,
        ] {
            assert_eq!(UserStatus::from_key(s.key()), Some(s));
        }
        assert_eq!(Role::from_key("root"), None);
    }
}
