//! Invitations into a company: one by one or from a CSV upload (`email,name,team`), single-use
//! links with an expiry (only a hash of the token is stored), accepting them, and the seat
//! limit.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};

use entity::{invitation, mail_outbox, team, user};

use super::{company, managed_company, seats_used, teams};
use crate::domain::{Email, Handle, Msg, Password, Role};
use crate::error::{AppError, AppResult};
use crate::policy::Viewer;
use crate::services::accounts::{self, CurrentUser, NewUser};
use crate::services::audit::{self, Event, Record};
use crate::services::passwords::Hasher;
use crate::services::tokens::{random_token, token_hash};

/// How long an invitation link stays valid.
pub const VALID_DAYS: i64 = 14;
pub const CSV_MAX_ROWS: usize = 2_000;

/// One person to invite, unchecked.
#[derive(Clone, Debug, Default)]
pub struct InviteInput {
    pub email: String,
    pub name: String,
    pub teams: Vec<String>,
}

/// What happened to one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowOutcome {
    Created,
    Skipped(Msg),
    Failed(Msg),
}

#[derive(Clone, Debug)]
pub struct RowReport {
    pub line: usize,
    pub email: String,
    pub outcome: RowOutcome,
}

/// The report of an upload. When any row failed, nothing was created.
#[derive(Clone, Debug, Default)]
pub struct UploadReport {
    pub applied: bool,
    pub rows: Vec<RowReport>,
}

struct Checked {
    email: Email,
    name: Option<String>,
    team_ids: Vec<i64>,
}

/// The checked row, or why it cannot be invited (outer error: the database failed).
async fn check(
    db: &impl ConnectionTrait,
    org: i64,
    input: &InviteInput,
) -> AppResult<Result<Checked, Msg>> {
    let email = match Email::parse(&input.email) {
        Ok(e) => e,
        Err(why) => return Ok(Err(why)),
    };
    let name = input.name.trim();
    if name.chars().count() > 100 {
        return Ok(Err(Msg::new("name_too_long").arg("max", 100)));
    }
    let mut team_ids = Vec::new();
    for t in input
        .teams
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        match teams::find_by_name(db, org, t).await? {
            Some(team) => team_ids.push(team.id),
            None => return Ok(Err(Msg::new("invite_unknown_team").arg("team", t))),
        }
    }
    Ok(Ok(Checked {
        email,
        name: (!name.is_empty()).then(|| name.to_owned()),
        team_ids,
    }))
}

/// Why an address needs no invitation, if so.
async fn already(db: &impl ConnectionTrait, org: i64, email: &Email) -> AppResult<Option<Msg>> {
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_ref()))
        .one(db)
        .await?;
    if account.is_some_and(|u| u.organization_id == Some(org)) {
        return Ok(Some(Msg::new("invite_already_member")));
    }
    let pending = invitation::Entity::find()
        .filter(invitation::Column::OrganizationId.eq(org))
        .filter(invitation::Column::Email.eq(email.as_ref()))
        .one(db)
        .await?;
    Ok(match pending {
        Some(i) if i.accepted_at.is_none() && i.expires_at > Utc::now() => {
            Some(Msg::new("invite_already_invited"))
        }
        _ => None,
    })
}

/// Creates (or renews an expired) invitation and queues its e-mail. Returns the token, which
/// exists only in the e-mail.
async fn create(
    db: &impl ConnectionTrait,
    org: i64,
    by: Option<i64>,
    c: &Checked,
    role: Role,
    base_url: &str,
) -> AppResult<String> {
    let token = random_token();
    let now = Utc::now();
    let teams_text =
        serde_json::to_string(&c.team_ids).map_err(|e| AppError::Unexpected(e.into()))?;
    let existing = invitation::Entity::find()
        .filter(invitation::Column::OrganizationId.eq(org))
        .filter(invitation::Column::Email.eq(c.email.as_ref()))
        .one(db)
        .await?;
    let mut row = match existing {
        Some(i) => i.into(),
        None => invitation::ActiveModel {
            organization_id: Set(org),
            email: Set(c.email.as_ref().to_owned()),
            ..Default::default()
        },
    };
    row.name = Set(c.name.clone());
    row.teams = Set(teams_text);
    row.role = Set(role.key().into());
    row.token_hash = Set(token_hash(&token));
    row.invited_by = Set(by);
    row.created_at = Set(now);
    row.expires_at = Set(now + Duration::days(VALID_DAYS));
    row.accepted_at = Set(None);
    row.save(db).await?;
    let company = company(db, org).await?;
    let link = format!("{}/invitations/{token}", base_url.trim_end_matches('/'));
    mail_outbox::ActiveModel {
        user_id: Set(None),
        to_email: Set(c.email.as_ref().to_owned()),
        subject: Set(format!("Einladung zu sellerbase von {} / Invitation to sellerbase", company.name)),
        body: Set(format!(
            "Hallo,\n\n{} lädt Sie zu sellerbase ein, der vertraulichen Lern-Community für B2B-Vertriebler. \
             Ihr Arbeitgeber sieht Ihren Lernfortschritt, niemals Ihre Fragen oder Antworten.\n\n\
             Einladung annehmen (gültig {VALID_DAYS} Tage): {link}\n\n\
             Hello,\n\n{} invites you to sellerbase. Accept (valid for {VALID_DAYS} days): {link}\n",
            company.name, company.name
        )),
        kind: Set("invitation".into()),
        thread_id: Set(None),
        status: Set("pending".into()),
        attempts: Set(0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Invites a person the company's identity provider provisioned whose address has an account
/// already: the invitation (and its e-mail) asks the owner to join; `scim_id` is what the
/// provider knows them by. The caller checked seats and duplicates.
pub(crate) async fn invite_for_scim(
    db: &impl ConnectionTrait,
    org: i64,
    email: &Email,
    name: Option<String>,
    scim_id: &str,
    base_url: &str,
) -> AppResult<()> {
    let checked = Checked {
        email: email.clone(),
        name,
        team_ids: Vec::new(),
    };
    create(db, org, None, &checked, Role::Member, base_url).await?;
    invitation::Entity::update_many()
        .col_expr(
            invitation::Column::ScimId,
            sea_orm::sea_query::Expr::value(scim_id),
        )
        .filter(invitation::Column::OrganizationId.eq(org))
        .filter(invitation::Column::Email.eq(email.as_ref()))
        .exec(db)
        .await?;
    Ok(())
}

/// Invites one person. A member or a pending invitation is a conflict; no free seat too.
pub async fn invite(
    db: &DatabaseConnection,
    viewer: &Viewer,
    org: Option<i64>,
    input: &InviteInput,
    base_url: &str,
) -> AppResult<String> {
    let org = managed_company(viewer, org)?;
    let txn = crate::db::begin_write(db).await?;
    let c = check(&txn, org, input).await?.map_err(AppError::Invalid)?;
    if let Some(why) = already(&txn, org, &c.email).await? {
        return Err(AppError::Conflict(
            Msg::new("invite_needless")
                .arg("email", c.email.as_ref())
                .arg_msg("why", why),
        ));
    }
    let seats = company(&txn, org).await?.seat_count.max(0) as u64;
    if seats_used(&txn, org).await? + 1 > seats {
        return Err(AppError::Conflict(
            Msg::new("invite_seats_taken").arg("seats", seats),
        ));
    }
    let token = create(
        &txn,
        org,
        viewer.user().map(|u| u.id),
        &c,
        Role::Member,
        base_url,
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// A platform admin names a company admin: an existing account of the company becomes admin,
/// anyone else gets an admin invitation (admins take no seat).
pub async fn invite_admin(
    db: &DatabaseConnection,
    viewer: &Viewer,
    org: i64,
    email: &str,
    base_url: &str,
) -> AppResult<Option<String>> {
    crate::policy::may_administer_platform(viewer, Msg::new("what_name_company_admins"))?;
    let txn = crate::db::begin_write(db).await?;
    company(&txn, org).await?;
    let email = Email::parse(email).map_err(AppError::Invalid)?;
    if let Some(u) = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_ref()))
        .one(&txn)
        .await?
    {
        if u.organization_id != Some(org) {
            return Err(AppError::conflict("admin_account_elsewhere"));
        }
        let detail = format!("{} -> company_admin of company {org}", u.role);
        let subject = u.id;
        let mut row: user::ActiveModel = u.into();
        row.role = Set(Role::CompanyAdmin.key().into());
        row.update(&txn).await?;
        let changed = Record::new(
            Event::RoleChanged,
            viewer.user().map(|v| v.id),
            Some(subject),
            &detail,
        );
        audit::record(&txn, changed).await?;
        txn.commit().await?;
        return Ok(None);
    }
    let c = Checked {
        email,
        name: None,
        team_ids: Vec::new(),
    };
    let token = create(
        &txn,
        org,
        viewer.user().map(|u| u.id),
        &c,
        Role::CompanyAdmin,
        base_url,
    )
    .await?;
    txn.commit().await?;
    Ok(Some(token))
}

/// Reads `email,name,team` rows (a header line is optional; `team` may list several teams
/// separated by `;`). Returns the rows with their line numbers, or the reason the file is not
/// a CSV of that shape.
pub fn parse_csv(text: &str) -> Result<Vec<(usize, InviteInput)>, Msg> {
    let mut rows = Vec::new();
    // One record per line, so that every report names the line a person sees in the file.
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(raw.as_bytes());
        let record = match reader.records().next() {
            Some(r) => r.map_err(|e| {
                Msg::new("csv_line_broken")
                    .arg("line", line)
                    .arg("error", e)
            })?,
            None => continue,
        };
        let first = record.get(0).unwrap_or("");
        if rows.is_empty() && first.eq_ignore_ascii_case("email") {
            continue;
        }
        if record.len() > 3 {
            return Err(Msg::new("csv_line_fields")
                .arg("line", line)
                .arg("fields", record.len()));
        }
        rows.push((
            line,
            InviteInput {
                email: first.to_owned(),
                name: record.get(1).unwrap_or("").to_owned(),
                teams: record
                    .get(2)
                    .unwrap_or("")
                    .split(';')
                    .map(str::to_owned)
                    .collect(),
            },
        ));
        if rows.len() > CSV_MAX_ROWS {
            return Err(Msg::new("csv_too_many_rows").arg("max", CSV_MAX_ROWS));
        }
    }
    Ok(rows)
}

/// Invites everyone of a CSV upload in one transaction: rows that are members or invited
/// already (or repeat an earlier row) are skipped; a broken row, an unknown team or too few
/// seats rejects the whole upload with the reason per row, and nothing is created.
pub async fn upload(
    db: &DatabaseConnection,
    viewer: &Viewer,
    org: Option<i64>,
    text: &str,
    base_url: &str,
) -> AppResult<UploadReport> {
    let org = managed_company(viewer, org)?;
    let rows = parse_csv(text).map_err(AppError::Invalid)?;
    if rows.is_empty() {
        return Err(AppError::invalid("csv_empty"));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut report = UploadReport::default();
    let mut to_create = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (line, input) in &rows {
        let outcome = match check(&txn, org, input).await? {
            Err(why) => RowOutcome::Failed(why),
            Ok(c) if seen.contains(&c.email.as_ref().to_owned()) => {
                RowOutcome::Skipped(Msg::new("csv_row_repeated"))
            }
            Ok(c) => {
                seen.push(c.email.as_ref().to_owned());
                match already(&txn, org, &c.email).await? {
                    Some(why) => RowOutcome::Skipped(why),
                    None => {
                        to_create.push((*line, c));
                        RowOutcome::Created
                    }
                }
            }
        };
        report.rows.push(RowReport {
            line: *line,
            email: input.email.trim().to_owned(),
            outcome,
        });
    }
    let seats = company(&txn, org).await?.seat_count.max(0) as u64;
    let free = seats.saturating_sub(seats_used(&txn, org).await?);
    if to_create.len() as u64 > free {
        for r in report
            .rows
            .iter_mut()
            .filter(|r| r.outcome == RowOutcome::Created)
        {
            r.outcome = RowOutcome::Failed(
                Msg::new("csv_not_enough_seats")
                    .arg("invitations", to_create.len())
                    .arg("free", free),
            );
        }
    }
    if report
        .rows
        .iter()
        .any(|r| matches!(r.outcome, RowOutcome::Failed(_)))
    {
        for r in report
            .rows
            .iter_mut()
            .filter(|r| r.outcome == RowOutcome::Created)
        {
            r.outcome = RowOutcome::Skipped(Msg::new("csv_not_created"));
        }
        return Ok(report);
    }
    let by = viewer.user().map(|u| u.id);
    for (_, c) in &to_create {
        create(&txn, org, by, c, Role::Member, base_url).await?;
    }
    txn.commit().await?;
    report.applied = true;
    Ok(report)
}

/// An invitation as its link shows it.
#[derive(Clone, Debug)]
pub struct InvitationInfo {
    pub company: String,
    pub email: String,
    pub has_account: bool,
}

async fn find_open(db: &impl ConnectionTrait, token: &str) -> AppResult<invitation::Model> {
    let i = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if i.accepted_at.is_some() {
        return Err(AppError::conflict("invitation_used"));
    }
    if i.expires_at <= Utc::now() {
        return Err(AppError::conflict("invitation_expired"));
    }
    Ok(i)
}

pub async fn info(db: &impl ConnectionTrait, token: &str) -> AppResult<InvitationInfo> {
    let i = find_open(db, token).await?;
    let c = company(db, i.organization_id).await?;
    let has_account = user::Entity::find()
        .filter(user::Column::Email.eq(i.email.as_str()))
        .one(db)
        .await?
        .is_some();
    Ok(InvitationInfo {
        company: c.name,
        email: i.email,
        has_account,
    })
}

/// Accepting: a new person chooses a password (and handle); someone with an account under the
/// invited address must be signed in as that account to confirm linking it.
pub async fn accept(
    db: &DatabaseConnection,
    hasher: &Hasher,
    viewer: &Viewer,
    token: &str,
    password: Option<&str>,
    handle: Option<&str>,
) -> AppResult<CurrentUser> {
    let txn = crate::db::begin_write(db).await?;
    let i = find_open(&txn, token).await?;
    let role = Role::from_key(&i.role).unwrap_or(Role::Member);
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(i.email.as_str()))
        .one(&txn)
        .await?;
    let user_id = match existing {
        Some(u) => {
            let me = viewer.user().ok_or_else(|| {
                AppError::Forbidden(Msg::new("invitation_sign_in").arg("email", &i.email))
            })?;
            if me.id != u.id {
                return Err(AppError::Forbidden(
                    Msg::new("invitation_other_account").arg("email", &i.email),
                ));
            }
            if u.organization_id.is_some_and(|o| o != i.organization_id) {
                return Err(AppError::conflict("invitation_other_company"));
            }
            if u.role != role.key() {
                let detail = format!(
                    "{} -> {} by invitation to company {}",
                    u.role,
                    role.key(),
                    i.organization_id
                );
                let changed = Record::new(Event::RoleChanged, Some(u.id), Some(u.id), &detail);
                audit::record(&txn, changed).await?;
            }
            let mut row: user::ActiveModel = u.into();
            row.organization_id = Set(Some(i.organization_id));
            row.role = Set(role.key().into());
            row.email_verified_at = Set(Some(Utc::now()));
            row.updated_at = Set(Utc::now());
            row.update(&txn).await?.id
        }
        None => {
            let password = Password::parse(password.unwrap_or("")).map_err(AppError::Invalid)?;
            let handle = handle
                .filter(|h| !h.trim().is_empty())
                .map(Handle::parse)
                .transpose()
                .map_err(AppError::Invalid)?;
            let new = NewUser {
                email: Email::parse(&i.email).map_err(AppError::Invalid)?,
                password,
                handle,
                display_name: i.name.clone(),
                role,
                organization_id: Some(i.organization_id),
                locale: None,
            };
            let created = accounts::create_user(&txn, hasher, new)
                .await
                .map_err(AppError::from)?;
            accounts::mark_verified(&txn, created.id).await?;
            created.id
        }
    };
    let team_ids: Vec<i64> = serde_json::from_str(&i.teams).unwrap_or_default();
    for team_id in team_ids {
        if team::Entity::find_by_id(team_id).one(&txn).await?.is_some() {
            teams::add_member_unchecked(&txn, team_id, user_id).await?;
        }
    }
    super::memberships::company_changed(&txn, user_id, Some(i.organization_id)).await?;
    if let Some(scim_id) = &i.scim_id {
        super::memberships::set_scim_id(&txn, user_id, i.organization_id, scim_id).await?;
    }
    let mut row: invitation::ActiveModel = i.into();
    row.accepted_at = Set(Some(Utc::now()));
    row.update(&txn).await?;
    txn.commit().await?;
    accounts::find_by_id(db, user_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Pending invitations of a company, newest first.
pub async fn pending(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    org: Option<i64>,
) -> AppResult<Vec<invitation::Model>> {
    let org = managed_company(viewer, org)?;
    Ok(invitation::Entity::find()
        .filter(invitation::Column::OrganizationId.eq(org))
        .filter(invitation::Column::AcceptedAt.is_null())
        .order_by_desc(invitation::Column::Id)
        .all(db)
        .await?)
}

/// Withdraws a pending invitation; its seat is free again.
pub async fn revoke(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    org: Option<i64>,
    id: i64,
) -> AppResult<()> {
    let org = managed_company(viewer, org)?;
    let deleted = invitation::Entity::delete_many()
        .filter(invitation::Column::Id.eq(id))
        .filter(invitation::Column::OrganizationId.eq(org))
        .filter(invitation::Column::AcceptedAt.is_null())
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_csv;

    #[test]
    fn csv_rows_keep_their_line_numbers_and_the_header_is_optional() {
        let rows = parse_csv("email,name,team\nanna@x.de,Anna,Nord;Süd\n\nben@x.de,,\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1.teams, vec!["Nord", "Süd"]);
        assert_eq!(rows[1].0, 4);
        assert!(
            parse_csv("a@x.de,A,T,extra\n")
                .unwrap_err()
                .to_string()
                .contains("line 1")
        );
    }
}
