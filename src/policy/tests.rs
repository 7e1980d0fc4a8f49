//! The policy's own tests: the rules per role, and their two other forms (the search index's
//! tokens and the SQL conditions for lists and counts) agree with them.

use super::*;
use crate::domain::community::Visibility;
use crate::domain::{Role, UserStatus};

fn user(id: i64, role: Role, org: Option<i64>) -> Viewer {
    user_with_history(id, role, org, org.into_iter().collect())
}

fn user_with_history(id: i64, role: Role, org: Option<i64>, history: Vec<i64>) -> Viewer {
    Viewer::User(CurrentUser {
        id,
        email: format!("{id}@x.de"),
        handle: format!("h{id}"),
        display_name: None,
        role,
        organization_id: org,
        locale: None,
        status: UserStatus::Active,
        email_verified: true,
        org_history: history,
    })
}

/// The index filter and the detail rule agree for every viewer and every kind of thread.
#[test]
fn the_search_acl_admits_exactly_whom_the_policy_admits() {
    let viewers = [
        Viewer::Anonymous,
        user(1, Role::Member, Some(10)),
        user(2, Role::Member, Some(10)),
        user(3, Role::Member, Some(20)),
        user(4, Role::Member, None),
        user(5, Role::CompanyAdmin, Some(10)),
        user(6, Role::Trainer, None),
        user(7, Role::PlatformAdmin, None),
        // Left company 10 for 20; left company 30 and is on their own now.
        user_with_history(8, Role::Member, Some(20), vec![10, 20]),
        user_with_history(9, Role::Member, None, vec![30]),
    ];
    let mut checked = 0;
    for visibility in Visibility::ALL {
        for hidden in [false, true] {
            for author_orgs in [vec![10], vec![10, 20], vec![30], vec![]] {
                let facts = ThreadFacts {
                    author_id: 1,
                    visibility,
                    author_orgs,
                    hidden,
                    deleted: false,
                };
                let acl = thread_acl(&facts);
                for v in &viewers {
                    assert_eq!(
                        acl.admits(&search_principals(v)),
                        may_see_thread(v, &facts),
                        "{v:?} on {facts:?}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 3 * 2 * 4 * 10);
}

/// A former colleague stays excluded from "hidden from my company", whatever company they
/// are in now; members of other companies see it.
#[test]
fn former_colleagues_never_see_a_not_my_company_thread() {
    let facts = ThreadFacts {
        author_id: 1,
        visibility: Visibility::NotMyCompany,
        author_orgs: vec![10],
        hidden: false,
        deleted: false,
    };
    let left_for_other = user_with_history(2, Role::Member, Some(20), vec![10, 20]);
    let left_alone = user_with_history(3, Role::Member, None, vec![10]);
    let stranger = user_with_history(4, Role::Member, Some(20), vec![20]);
    assert!(!may_see_thread(&left_for_other, &facts));
    assert!(!may_see_thread(&left_alone, &facts));
    assert!(may_see_thread(&stranger, &facts));
}

/// The navigation of each role, as the policy computes it.
#[test]
fn capabilities_follow_the_roles() {
    let of = |role| Capabilities::of(&user(1, role, Some(3)));
    let c = of(Role::Member);
    assert!(c.community && c.learn && !c.coach && !c.moderate && !c.author_lessons);
    assert!(!c.manage_company && !c.administer_platform);
    let c = of(Role::CompanyAdmin);
    assert!(
        !c.community && !c.coach && !c.moderate,
        "company admins see no community"
    );
    assert!(c.learn && c.manage_company && !c.administer_platform);
    let c = of(Role::Trainer);
    assert!(c.community && c.coach && c.moderate && c.author_lessons);
    assert!(!c.manage_company && !c.administer_platform);
    let c = of(Role::PlatformAdmin);
    assert!(c.community && !c.coach && c.moderate && c.author_lessons);
    assert!(c.administer_platform && !c.manage_company);
    assert_eq!(
        Capabilities::of(&Viewer::Anonymous),
        Capabilities::default()
    );
}

#[test]
fn only_a_companys_own_admins_keep_its_sensitive_names_and_writers_get_hints() {
    use crate::error::AppError;
    let admin = user(1, Role::CompanyAdmin, Some(10));
    assert_eq!(sensitive_names_company(&admin, None).ok(), Some(10));
    assert_eq!(sensitive_names_company(&admin, Some(10)).ok(), Some(10));
    assert!(matches!(
        sensitive_names_company(&admin, Some(20)),
        Err(AppError::NotFound)
    ));
    for viewer in [
        user(2, Role::Member, Some(10)),
        user(3, Role::Trainer, None),
        user(4, Role::PlatformAdmin, None),
    ] {
        for requested in [None, Some(10)] {
            assert!(
                matches!(
                    sensitive_names_company(&viewer, requested),
                    Err(AppError::Forbidden(_))
                ),
                "{viewer:?} {requested:?}"
            );
        }
    }
    assert!(matches!(
        sensitive_names_company(&Viewer::Anonymous, None),
        Err(AppError::Unauthenticated)
    ));
    for role in [Role::Member, Role::Trainer, Role::PlatformAdmin] {
        assert!(may_get_hints(&user(5, role, Some(10))).is_ok(), "{role:?}");
    }
    assert!(
        may_get_hints(&admin).is_err(),
        "company admins do not write posts"
    );
    assert!(may_get_hints(&Viewer::Anonymous).is_err());
}

#[test]
fn org_sets_round_trip_through_their_column_form() {
    assert_eq!(format_org_set(&[17, 3, 3]), ",3,17,");
    assert_eq!(parse_org_set(",3,17,"), vec![3, 17]);
    assert_eq!(format_org_set(&[]), "");
    assert!(parse_org_set("").is_empty());
}

#[test]
fn lessons_are_found_by_everyone_signed_in_and_nobody_else() {
    assert!(lesson_acl().admits(&search_principals(&user(5, Role::CompanyAdmin, Some(1)))));
    assert!(!lesson_acl().admits(&search_principals(&Viewer::Anonymous)));
}

/// `thread_condition` (lists and counts) admits exactly the threads `may_see_thread` admits,
/// and `answer_condition` exactly the answers `may_see_post` admits, for every viewer and
/// every kind of thread and answer, on a real database.
#[tokio::test]
async fn the_sql_conditions_admit_exactly_whom_the_rules_admit() {
    use chrono::Utc;
    use sea_orm::{
        ActiveModelTrait, ActiveValue::Set, ConnectOptions, Database, EntityTrait, QueryFilter,
    };
    let mut options = ConnectOptions::new("sqlite::memory:");
    options.max_connections(1).sqlx_logging(false);
    let db = Database::connect(options).await.unwrap();
    crate::db::migrate(&db).await.unwrap();
    let now = Utc::now();
    for id in [1, 2] {
        entity::user::ActiveModel {
            id: Set(id),
            email: Set(format!("{id}@x.de")),
            password_hash: Set("!".into()),
            handle: Set(format!("h{id}")),
            role: Set("member".into()),
            show_name: Set(false),
            show_company: Set(false),
            status: Set("active".into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
    }
    let mut threads = Vec::new();
    for visibility in Visibility::ALL {
        for hidden in [false, true] {
            for deleted in [false, true] {
                for author_orgs in [vec![10], vec![10, 20], vec![30], vec![]] {
                    let t = entity::thread::ActiveModel {
                        author_id: Set(1),
                        title: Set("t".into()),
                        body_md: Set(String::new()),
                        body_html: Set(String::new()),
                        topic: Set("closing".into()),
                        language: Set("de".into()),
                        visibility: Set(visibility.key().into()),
                        author_orgs: Set(format_org_set(&author_orgs)),
                        status: Set("open".into()),
                        locked: Set(false),
                        hidden: Set(hidden),
                        answer_count: Set(0),
                        edited_by_moderator: Set(false),
                        deleted_at: Set(deleted.then_some(now)),
                        created_at: Set(now),
                        updated_at: Set(now),
                        last_activity_at: Set(now),
                        ..Default::default()
                    }
                    .insert(&db)
                    .await
                    .unwrap();
                    threads.push(t);
                }
            }
        }
    }
    let mut answers = Vec::new();
    for author in [1, 2] {
        for hidden in [false, true] {
            for deleted in [false, true] {
                let a = entity::answer::ActiveModel {
                    thread_id: Set(threads[0].id),
                    author_id: Set(author),
                    body_md: Set(String::new()),
                    body_html: Set(String::new()),
                    helpful_count: Set(0),
                    hidden: Set(hidden),
                    edited_by_moderator: Set(false),
                    deleted_at: Set(deleted.then_some(now)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&db)
                .await
                .unwrap();
                answers.push(a);
            }
        }
    }
    let viewers = [
        Viewer::Anonymous,
        user(1, Role::Member, Some(10)),
        user(2, Role::Member, Some(10)),
        user(3, Role::Member, Some(20)),
        user(4, Role::Member, None),
        user(5, Role::CompanyAdmin, Some(10)),
        user(6, Role::Trainer, None),
        user(7, Role::PlatformAdmin, None),
        user_with_history(8, Role::Member, Some(20), vec![10, 20]),
        user_with_history(9, Role::Member, None, vec![30]),
        user_with_history(2, Role::Member, Some(40), vec![40]),
    ];
    for v in &viewers {
        let mut listed: Vec<i64> = entity::thread::Entity::find()
            .filter(thread_condition(v))
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect();
        listed.sort_unstable();
        let allowed: Vec<i64> = threads
            .iter()
            .filter(|t| may_see_thread(v, &ThreadFacts::of(t)))
            .map(|t| t.id)
            .collect();
        assert_eq!(listed, allowed, "threads for {v:?}");
        let mut counted: Vec<i64> = entity::answer::Entity::find()
            .filter(answer_condition(v))
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect();
        counted.sort_unstable();
        let shown: Vec<i64> = answers
            .iter()
            .filter(|a| may_see_post(v, a.author_id, a.hidden, a.deleted_at.is_some()))
            .map(|a| a.id)
            .collect();
        assert_eq!(counted, shown, "answers for {v:?}");
    }
}
