//! The topic taxonomy shared by lessons and questions: the six phases of a sales conversation
//! plus prospecting, social selling and self-management. Stored as stable keys.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    Relationship,
    NeedsAnalysis,
    Presentation,
    Negotiation,
    Closing,
    FollowUp,
    Prospecting,
    SocialSelling,
    SelfManagement,
}

impl Topic {
    pub const ALL: [Topic; 9] = [
        Self::Relationship,
        Self::NeedsAnalysis,
        Self::Presentation,
        Self::Negotiation,
        Self::Closing,
        Self::FollowUp,
        Self::Prospecting,
        Self::SocialSelling,
        Self::SelfManagement,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Relationship => "relationship",
            Self::NeedsAnalysis => "needs_analysis",
            Self::Presentation => "presentation",
            Self::Negotiation => "negotiation",
            Self::Closing => "closing",
            Self::FollowUp => "follow_up",
            Self::Prospecting => "prospecting",
            Self::SocialSelling => "social_selling",
            Self::SelfManagement => "self_management",
        }
    }

    pub fn parse(key: &str) -> Result<Self, super::Msg> {
        Self::ALL
            .into_iter()
            .find(|t| t.key() == key.trim())
            .ok_or_else(|| {
                let keys: Vec<_> = Self::ALL.iter().map(|t| t.key()).collect();
                super::Msg::new("topic_unknown")
                    .arg("topic", key.trim())
                    .arg("topics", keys.join(", "))
            })
    }

    pub fn label_de(self) -> &'static str {
        match self {
            Self::Relationship => "Beziehungsphase",
            Self::NeedsAnalysis => "Analysephase",
            Self::Presentation => "Präsentationsphase",
            Self::Negotiation => "Verhandlung & Einwände",
            Self::Closing => "Abschlussphase",
            Self::FollowUp => "Nachbereitung",
            Self::Prospecting => "Akquise",
            Self::SocialSelling => "Social Selling",
            Self::SelfManagement => "Selbstmanagement",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Relationship => "Relationship & rapport",
            Self::NeedsAnalysis => "Needs analysis",
            Self::Presentation => "Presentation",
            Self::Negotiation => "Negotiation & objections",
            Self::Closing => "Closing",
            Self::FollowUp => "Follow-up",
            Self::Prospecting => "Prospecting",
            Self::SocialSelling => "Social selling",
            Self::SelfManagement => "Self-management",
        }
    }

    pub fn label(self, locale: super::Locale) -> &'static str {
        match locale {
            super::Locale::De => self.label_de(),
            super::Locale::En => self.label_en(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Topic;

    #[test]
    fn keys_round_trip_and_unknown_keys_are_named() {
        for t in Topic::ALL {
            assert_eq!(Topic::parse(t.key()), Ok(t));
        }
        let err = Topic::parse("haggling").unwrap_err().to_string();
        assert!(
            err.contains("haggling") && err.contains("negotiation"),
            "{err}"
        );
    }
}
