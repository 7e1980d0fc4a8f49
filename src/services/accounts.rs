//! Accounts: registration, credential checks and the signed-in user as services see it.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};

use entity::user;

use crate::domain::{Email, Handle, Locale, Msg, Password, Role, UserStatus};
use crate::error::{AppError, AppResult};
use crate::services::passwords::Hasher;
use crate::services::tokens::random_u64;

pub use crate::policy::CurrentUser;

/// The signed-in person of an account row, with the companies they ever belonged to (which
/// the policy needs for "hidden from my company").
pub async fn current_user(db: &impl ConnectionTrait, m: &user::Model) -> AppResult<CurrentUser> {
    let history = entity::org_membership::Entity::find()
        .select_only()
        .column(entity::org_membership::Column::OrganizationId)
        .filter(entity::org_membership::Column::UserId.eq(m.id))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    CurrentUser::from_model(m, history)
}

/// Everything needed to create an account, already parsed. Accounts made by admins, imports,
/// invitations and SCIM count as verified; self-registration verifies by e-mail.
pub struct NewUser {
    pub email: Email,
    pub password: Password,
    pub handle: Option<Handle>,
    pub display_name: Option<String>,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub locale: Option<Locale>,
}

/// What self-registration did. Callers answer both the same way, so that nobody can probe
/// which addresses have an account.
#[derive(Debug)]
pub enum Registered {
    Created(CurrentUser),
    EmailTaken,
}

/// Self-registration of an individual member; the new account gets a verification link at
/// `base_url`.
pub async fn register(
    db: &impl ConnectionTrait,
    hasher: &Hasher,
    email: Email,
    password: Password,
    handle: Option<Handle>,
    locale: Option<Locale>,
    base_url: &str,
) -> AppResult<Registered> {
    let new = NewUser {
        email,
        password,
        handle,
        display_name: None,
        role: Role::Member,
        organization_id: None,
        locale,
    };
    match create_user(db, hasher, new).await {
        Ok(user) => {
            let row = user::ActiveModel {
                id: Set(user.id),
                email_verified_at: Set(None),
                ..Default::default()
            };
            row.update(db).await?;
            crate::services::verification::send(db, user.id, &user.email, base_url).await?;
            Ok(Registered::Created(CurrentUser {
                email_verified: false,
                ..user
            }))
        }
        Err(CreateUserError::EmailTaken) => Ok(Registered::EmailTaken),
        Err(CreateUserError::HandleTaken) => Err(AppError::conflict("handle_taken_choose")),
        Err(CreateUserError::Other(e)) => Err(e),
    }
}

#[derive(Debug)]
pub enum CreateUserError {
    EmailTaken,
    HandleTaken,
    Other(AppError),
}

impl From<AppError> for CreateUserError {
    fn from(e: AppError) -> Self {
        Self::Other(e)
    }
}

impl From<CreateUserError> for AppError {
    fn from(e: CreateUserError) -> Self {
        match e {
            CreateUserError::EmailTaken => AppError::conflict("email_taken"),
            CreateUserError::HandleTaken => AppError::conflict("handle_taken"),
            CreateUserError::Other(e) => e,
        }
    }
}

/// Creates an account. The password is hashed even when the address is taken, so the answer
/// takes as long either way. A generated handle is retried on collision.
pub async fn create_user(
    db: &impl ConnectionTrait,
    hasher: &Hasher,
    new: NewUser,
) -> Result<CurrentUser, CreateUserError> {
    let password_hash = hasher.hash(new.password.expose()).await?;
    let now = Utc::now();
    let chosen_handle = new.handle.clone();
    for _attempt in 0..5 {
        let handle = chosen_handle
            .clone()
            .unwrap_or_else(|| Handle::generate(random_u64()));
        let row = user::ActiveModel {
            email: Set(new.email.as_ref().to_owned()),
            password_hash: Set(password_hash.clone()),
            handle: Set(handle.as_ref().to_owned()),
            display_name: Set(new.display_name.clone()),
            role: Set(new.role.key().to_owned()),
            organization_id: Set(new.organization_id),
            show_name: Set(false),
            show_company: Set(false),
            locale: Set(new.locale.map(|l| l.as_str().to_owned())),
            status: Set(UserStatus::Active.key().to_owned()),
            email_verified_at: Set(Some(now)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        match row.insert(db).await {
            Ok(model) => {
                if let Some(org) = new.organization_id {
                    crate::services::companies::memberships::joined(db, model.id, org).await?;
                }
                return Ok(CurrentUser::from_model(&model, Vec::new())?);
            }
            Err(e) => match unique_violation(&e) {
                Some(UniqueColumn::Email) => return Err(CreateUserError::EmailTaken),
                Some(UniqueColumn::Handle) if chosen_handle.is_none() => continue,
                Some(UniqueColumn::Handle) => return Err(CreateUserError::HandleTaken),
                None => return Err(AppError::from(e).into()),
            },
        }
    }
    Err(AppError::Unexpected(anyhow::anyhow!("could not generate a free handle")).into())
}

enum UniqueColumn {
    Email,
    Handle,
}

fn unique_violation(e: &sea_orm::DbErr) -> Option<UniqueColumn> {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(msg)) => {
            if msg.contains("email") {
                Some(UniqueColumn::Email)
            } else if msg.contains("handle") {
                Some(UniqueColumn::Handle)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Checks e-mail and password. Unknown addresses and wrong passwords give the same error
/// after the same amount of work.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    hasher: &Hasher,
    email: &str,
    password: &str,
    client: Option<std::net::IpAddr>,
) -> AppResult<CurrentUser> {
    use crate::services::audit::{Event, Record, record};
    let found = match Email::parse(email) {
        Ok(email) => {
            user::Entity::find()
                .filter(user::Column::Email.eq(email.as_ref()))
                .one(db)
                .await?
        }
        Err(_) => None,
    };
    let ok = hasher
        .verify(password, found.as_ref().map(|u| u.password_hash.as_str()))
        .await?;
    match found {
        Some(user) if ok => {
            let signed_in = Record::new(Event::SignIn, Some(user.id), Some(user.id), "password");
            record(db, signed_in.from(client)).await?;
            current_user(db, &user).await
        }
        Some(user) => {
            let failed = Record::new(Event::SignInFailed, None, Some(user.id), "wrong password");
            record(db, failed.from(client)).await?;
            Err(AppError::BadCredentials)
        }
        None => {
            let failed = Record::new(Event::SignInFailed, None, None, "unknown address");
            record(db, failed.from(client)).await?;
            Err(AppError::BadCredentials)
        }
    }
}

pub async fn find_by_id(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<CurrentUser>> {
    match user::Entity::find_by_id(id).one(db).await? {
        Some(m) => Ok(Some(current_user(db, &m).await?)),
        None => Ok(None),
    }
}

/// Stores the preferred UI language of a signed-in user.
pub async fn set_locale(db: &impl ConnectionTrait, user_id: i64, locale: Locale) -> AppResult<()> {
    let row = user::ActiveModel {
        id: Set(user_id),
        locale: Set(Some(locale.as_str().to_owned())),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

/// Changes to how a member appears; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct ProfileChanges {
    pub handle: Option<String>,
    pub display_name: Option<String>,
    pub show_name: Option<bool>,
    pub show_company: Option<bool>,
    pub locale: Option<String>,
}

/// Updates the viewer's own profile; a taken handle is a conflict.
pub async fn update_profile(
    db: &impl ConnectionTrait,
    viewer: &crate::policy::Viewer,
    changes: ProfileChanges,
) -> AppResult<CurrentUser> {
    let me = viewer.user().ok_or(AppError::Unauthenticated)?;
    let mut row = user::ActiveModel {
        id: Set(me.id),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if let Some(h) = &changes.handle {
        row.handle = Set(Handle::parse(h)
            .map_err(AppError::Invalid)?
            .as_ref()
            .to_owned());
    }
    if let Some(name) = &changes.display_name {
        let name = name.trim();
        if name.chars().count() > 100 {
            return Err(AppError::Invalid(Msg::new("name_too_long").arg("max", 100)));
        }
        row.display_name = Set((!name.is_empty()).then(|| name.to_owned()));
    }
    if let Some(v) = changes.show_name {
        row.show_name = Set(v);
    }
    if let Some(v) = changes.show_company {
        row.show_company = Set(v);
    }
    if let Some(l) = &changes.locale {
        let locale = Locale::parse(l).ok_or_else(|| AppError::invalid("locale_de_or_en"))?;
        row.locale = Set(Some(locale.as_str().to_owned()));
    }
    match row.update(db).await {
        Ok(m) => current_user(db, &m).await,
        Err(e) if matches!(unique_violation(&e), Some(UniqueColumn::Handle)) => {
            Err(AppError::conflict("handle_taken_choose"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Marks an address as verified (an invitation link or verification link was followed).
pub async fn mark_verified(db: &impl ConnectionTrait, user_id: i64) -> AppResult<()> {
    user::ActiveModel {
        id: Set(user_id),
        email_verified_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// The account a platform admin acts on, read in `txn`: never their own (`own` says why not),
/// never a deleted one; with the acting admin's id.
async fn account_to_administer(
    txn: &impl ConnectionTrait,
    viewer: &crate::policy::Viewer,
    user_id: i64,
    what: Msg,
    own: Msg,
) -> AppResult<(i64, user::Model)> {
    crate::policy::may_administer_platform(viewer, what)?;
    let me = viewer.user().ok_or(AppError::Unauthenticated)?.id;
    if me == user_id {
        return Err(AppError::Conflict(own));
    }
    let u = user::Entity::find_by_id(user_id)
        .one(txn)
        .await?
        .filter(|u| u.status != UserStatus::Deleted.key())
        .ok_or(AppError::NotFound)?;
    Ok((me, u))
}

async fn audit_change(
    txn: &impl ConnectionTrait,
    event: crate::services::audit::Event,
    admin: i64,
    user_id: i64,
    detail: &str,
) -> AppResult<()> {
    let changed = crate::services::audit::Record::new(event, Some(admin), Some(user_id), detail);
    crate::services::audit::record(txn, changed).await
}

/// A platform admin changes someone's role. Company admins belong to a company, and nobody
/// changes their own role (so the last platform admin cannot lock everyone out by mistake).
pub async fn set_role(
    db: &sea_orm::DatabaseConnection,
    viewer: &crate::policy::Viewer,
    user_id: i64,
    role: Role,
) -> AppResult<CurrentUser> {
    let txn = crate::db::begin_write(db).await?;
    let (what, own) = (Msg::new("what_change_roles"), Msg::new("role_change_own"));
    let (me, u) = account_to_administer(&txn, viewer, user_id, what, own).await?;
    if !crate::policy::may_hold_role(role, u.organization_id) {
        return Err(AppError::invalid("role_admin_needs_company"));
    }
    if u.role == role.key() {
        return current_user(db, &u).await;
    }
    let detail = format!("{} -> {}", u.role, role.key());
    let mut row: user::ActiveModel = u.into();
    row.role = Set(role.key().to_owned());
    row.updated_at = Set(Utc::now());
    let updated = row.update(&txn).await?;
    let event = crate::services::audit::Event::RoleChanged;
    audit_change(&txn, event, me, user_id, &detail).await?;
    txn.commit().await?;
    current_user(db, &updated).await
}

/// A platform admin suspends an account (it may still read, never write) or makes it active
/// again; suspending ends all of the person's sessions at once. Nobody changes their own.
pub async fn set_status(
    db: &sea_orm::DatabaseConnection,
    viewer: &crate::policy::Viewer,
    user_id: i64,
    status: UserStatus,
) -> AppResult<CurrentUser> {
    let txn = crate::db::begin_write(db).await?;
    let (what, own) = (
        Msg::new("what_suspend_accounts"),
        Msg::new("status_change_own"),
    );
    let (me, u) = account_to_administer(&txn, viewer, user_id, what, own).await?;
    if status == UserStatus::Deleted {
        return Err(AppError::invalid("status_active_or_suspended"));
    }
    if u.status == status.key() {
        return current_user(db, &u).await;
    }
    let detail = format!("{} -> {}", u.status, status.key());
    let mut row: user::ActiveModel = u.into();
    row.status = Set(status.key().to_owned());
    row.updated_at = Set(Utc::now());
    let updated = row.update(&txn).await?;
    if status == UserStatus::Suspended {
        crate::services::sessions::revoke_all(&txn, user_id).await?;
    }
    let event = crate::services::audit::Event::StatusChanged;
    audit_change(&txn, event, me, user_id, &detail).await?;
    txn.commit().await?;
    current_user(db, &updated).await
}
