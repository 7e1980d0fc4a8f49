//! The demo world: a few companies, sellers, a trainer and admins, so the platform can be
//! explored right after the first start.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, PaginatorTrait};

use entity::{organization, user};

use crate::domain::{Email, Handle, Password, Role};
use crate::error::{AppError, AppResult};
use crate::services::accounts::{NewUser, create_user};
use crate::services::passwords::Hasher;

/// The password every demo account shares; printed by `serve --demo`.
pub const DEMO_PASSWORD: &str = "sellerbase-demo-2026";

/// One demo login: address and what the account is for.
pub struct DemoLogin {
    pub email: &'static str,
    pub role: &'static str,
}

pub struct DemoReport {
    pub seeded: bool,
    pub logins: Vec<DemoLogin>,
}

struct DemoCompany {
    name: &'static str,
    slug: &'static str,
    seats: i32,
}

const COMPANIES: [DemoCompany; 3] = [
    DemoCompany {
        name: "Nordlicht Maschinenbau GmbH",
        slug: "nordlicht",
        seats: 25,
    },
    DemoCompany {
        name: "Alpenblick Software AG",
        slug: "alpenblick",
        seats: 10,
    },
    DemoCompany {
        name: "Rheinwerk Logistik KG",
        slug: "rheinwerk",
        seats: 15,
    },
];

/// (e-mail, handle, real name, role, company index)
const PEOPLE: [(&str, &str, &str, Role, Option<usize>); 9] = [
    (
        "admin@sellerbase.example",
        "platform-admin",
        "Plattform Admin",
        Role::PlatformAdmin,
        None,
    ),
    (
        "mara.coach@sellerbase.example",
        "coach-mara",
        "Mara Brandt",
        Role::Trainer,
        None,
    ),
    (
        "ben.coach@sellerbase.example",
        "coach-ben",
        "Ben Okafor",
        Role::Trainer,
        None,
    ),
    (
        "hr@nordlicht.example",
        "nordlicht-admin",
        "Petra Lang",
        Role::CompanyAdmin,
        Some(0),
    ),
    (
        "jonas@nordlicht.example",
        "steady-closer",
        "Jonas Weber",
        Role::Member,
        Some(0),
    ),
    (
        "lea@nordlicht.example",
        "lea-sells",
        "Lea Hoffmann",
        Role::Member,
        Some(0),
    ),
    (
        "tim@alpenblick.example",
        "saas-tim",
        "Tim Schulte",
        Role::Member,
        Some(1),
    ),
    (
        "sara@rheinwerk.example",
        "logistics-sara",
        "Sara Yilmaz",
        Role::Member,
        Some(2),
    ),
    (
        "max@example.com",
        "solo-max",
        "Max Berger",
        Role::Member,
        None,
    ),
];

/// Fills an empty database with the demo world; does nothing when any account exists.
pub async fn seed(db: &impl ConnectionTrait, hasher: &Hasher) -> AppResult<DemoReport> {
    let logins = PEOPLE
        .iter()
        .map(|(email, _, _, role, _)| DemoLogin {
            email,
            role: role.key(),
        })
        .collect();
    if user::Entity::find().count(db).await? > 0 {
        return Ok(DemoReport {
            seeded: false,
            logins,
        });
    }
    let now = Utc::now();
    let mut company_ids = Vec::new();
    for c in &COMPANIES {
        let row = organization::ActiveModel {
            name: Set(c.name.into()),
            slug: Set(c.slug.into()),
            seat_count: Set(c.seats),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        company_ids.push(row.id);
    }
    let password = Password::parse(DEMO_PASSWORD).map_err(AppError::Invalid)?;
    for (email, handle, name, role, company) in PEOPLE {
        let new = NewUser {
            email: Email::parse(email).map_err(AppError::Invalid)?,
            password: password.clone(),
            handle: Some(Handle::parse(handle).map_err(AppError::Invalid)?),
            display_name: Some(name.into()),
            role,
            organization_id: company.and_then(|i| company_ids.get(i).copied()),
            locale: None,
        };
        create_user(db, hasher, new).await?;
    }
    Ok(DemoReport {
        seeded: true,
        logins,
    })
}

/// The starter lessons and learning paths of `content/starter`, compiled into the binary.
#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/content/starter"]
struct StarterPack;

/// Imports the starter pack (idempotent: a second run changes nothing).
pub async fn import_starter_pack(
    db: &sea_orm::DatabaseConnection,
) -> anyhow::Result<super::lesson_files::ImportReport> {
    let dir = tempfile::tempdir()?;
    for name in StarterPack::iter() {
        let Some(file) = StarterPack::get(&name) else {
            continue;
        };
        let target = dir.path().join(name.as_ref());
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, file.data)?;
    }
    super::lesson_files::import_dir(db, dir.path()).await
}

#[derive(serde::Deserialize)]
struct DemoThreads {
    thread: Vec<DemoThread>,
}

#[derive(serde::Deserialize)]
struct DemoThread {
    key: String,
    author: String,
    visibility: String,
    topic: String,
    language: String,
    title: String,
    body: String,
    #[serde(default)]
    tags: Vec<String>,
    accepted: Option<usize>,
    #[serde(default)]
    answers: Vec<DemoAnswer>,
}

#[derive(serde::Deserialize)]
struct DemoAnswer {
    author: String,
    body: String,
    #[serde(default)]
    helpful: Vec<String>,
}

const DEMO_THREADS: &str = include_str!("../../content/demo/threads.toml");

/// Asks, answers, votes and accepts the demo conversations through the same services members
/// use, so every rule of the community holds for them too. Returns demo key -> thread id.
/// Does nothing when threads exist already.
pub async fn seed_threads(
    db: &sea_orm::DatabaseConnection,
    base_url: &str,
) -> anyhow::Result<Vec<(String, i64)>> {
    use crate::services::community::{answers, threads};
    use sea_orm::{ColumnTrait, QueryFilter};
    if entity::thread::Entity::find().count(db).await? > 0 {
        return Ok(Vec::new());
    }
    let demo: DemoThreads = toml::from_str(DEMO_THREADS)?;
    let mut viewers = std::collections::HashMap::new();
    for email in demo.thread.iter().flat_map(|t| {
        std::iter::once(&t.author).chain(
            t.answers
                .iter()
                .flat_map(|a| std::iter::once(&a.author).chain(&a.helpful)),
        )
    }) {
        if viewers.contains_key(email) {
            continue;
        }
        let row = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo person {email} does not exist"))?;
        let me = crate::services::accounts::current_user(db, &row)
            .await
            .map_err(anyhow::Error::new)?;
        viewers.insert(email.clone(), crate::policy::Viewer::User(me));
    }
    let who = |email: &str| {
        viewers
            .get(email)
            .ok_or_else(|| anyhow::anyhow!("unknown demo person {email}"))
    };
    let mut created = Vec::new();
    for t in demo.thread {
        let input = threads::AskInput {
            title: t.title.clone(),
            body: t.body.clone(),
            topic: t.topic.clone(),
            language: t.language.clone(),
            visibility: t.visibility.clone(),
            tags: t.tags.clone(),
        };
        let id = threads::ask(db, who(&t.author)?, input)
            .await
            .map_err(|e| anyhow::anyhow!("demo thread {}: {e}", t.key))?;
        let mut answer_ids = Vec::new();
        for a in &t.answers {
            let answer_id = answers::answer(db, who(&a.author)?, id, &a.body, base_url)
                .await
                .map_err(|e| anyhow::anyhow!("demo answer in {}: {e}", t.key))?;
            for voter in &a.helpful {
                answers::vote(db, who(voter)?, answer_id)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo vote in {}: {e}", t.key))?;
            }
            answer_ids.push(answer_id);
        }
        if let Some(accepted) = t.accepted.and_then(|i| answer_ids.get(i)) {
            answers::accept(db, who(&t.author)?, id, *accepted, base_url)
                .await
                .map_err(|e| anyhow::anyhow!("demo accept in {}: {e}", t.key))?;
        }
        created.push((t.key, id));
    }
    Ok(created)
}
