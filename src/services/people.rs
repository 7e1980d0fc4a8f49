//! How people appear to others: a pseudonymous handle, plus real name and company only when
//! they chose to show them.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use entity::{organization, user};

use crate::domain::Role;
use crate::error::AppResult;

/// An author as others see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Persona {
    pub handle: String,
    pub name: Option<String>,
    pub company: Option<String>,
    pub is_coach: bool,
}

impl Persona {
    pub fn former_member() -> Self {
        Self {
            handle: "former-member".into(),
            name: None,
            company: None,
            is_coach: false,
        }
    }
}

/// Personas of the given users, by id.
pub async fn personas(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<HashMap<i64, Persona>> {
    let mut unique: Vec<i64> = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(unique))
        .all(db)
        .await?;
    let org_ids: Vec<i64> = users
        .iter()
        .filter(|u| u.show_company)
        .filter_map(|u| u.organization_id)
        .collect();
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| {
            if u.status == "deleted" {
                return (u.id, Persona::former_member());
            }
            let company = if u.show_company {
                u.organization_id
                    .and_then(|o| orgs.iter().find(|org| org.id == o))
                    .map(|o| o.name.clone())
            } else {
                None
            };
            let persona = Persona {
                handle: u.handle.clone(),
                name: if u.show_name {
                    u.display_name.clone()
                } else {
                    None
                },
                company,
                is_coach: Role::from_key(&u.role).is_some_and(crate::policy::is_coach_role),
            };
            (u.id, persona)
        })
        .collect())
}

pub fn persona_of(map: &HashMap<i64, Persona>, id: i64) -> Persona {
    map.get(&id).cloned().unwrap_or_else(Persona::former_member)
}
