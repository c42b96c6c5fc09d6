//! The migration of the old setting (`tenants.recipient_fields`, "name,kana,phone").
use crate::common::Backend;
use crate::on_both_databases;

/// Municipalities that chose their recipient fields before this page existed ask what
/// they asked: the migration turns "name,kana,phone" and its parts into the same fields.
async fn old_settings_keep_their_meaning(backend: Backend) {
    use diesel::migration::MigrationSource;
    use diesel_async::{AsyncConnection, AsyncMigrationHarness, RunQueryDsl};
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
    use madoguchi::core::recipient_fields::Requirement::{First, Required};
    const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
    const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
    const THIS: &str = "2026-12-03-000005_recipient_fields";
    const OLD: &str = "INSERT INTO tenants (slug, name, recipient_fields, created_at) VALUES \
        ('all', '全部', 'name,kana,phone', 0), ('name', '氏名だけ', 'name', 0), \
        ('phone', '氏名と電話', ' name, phone', 0), ('none', 'なし', '', 0)";
    let dir = tempfile::tempdir().unwrap();
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("old.sqlite3").display()),
        Backend::Postgres => match crate::common::pg::cluster() {
            Some(cluster) => cluster.new_database().await,
            None => return,
        },
    };
    // Every migration before this one, then the municipalities as they were.
    macro_rules! before_this {
        ($conn:expr, $source:expr, $db:ty) => {{
            let mut harness = AsyncMigrationHarness::new($conn);
            // Creates diesel's table of applied migrations.
            assert!(harness.applied_migrations().unwrap().is_empty());
            for m in MigrationSource::<$db>::migrations(&$source).unwrap() {
                if m.name().to_string().as_str() < THIS {
                    harness.run_migration(&*m).unwrap();
                }
            }
            let mut conn = harness.into_inner();
            diesel::sql_query(OLD).execute(&mut conn).await.unwrap();
        }};
    }
    match backend {
        Backend::Sqlite => {
            let path = madoguchi::db::sqlite_path(&url).unwrap();
            let conn = madoguchi::db::SqliteConn::establish(path).await.unwrap();
            before_this!(conn, SQLITE, diesel::sqlite::Sqlite);
        }
        Backend::Postgres => {
            let conn = madoguchi::db::PgConn::establish(&url).await.unwrap();
            before_this!(conn, POSTGRES, diesel::pg::Pg);
        }
    }
    // The server's start-up applies the rest.
    let db = madoguchi::db::Db::connect(&url, 2).await.unwrap();
    let asked = async |slug: &str| {
        let tenant = madoguchi::db::tenants::find_by_slug(&db, slug)
            .await
            .unwrap()
            .unwrap();
        let form = madoguchi::db::recipient_fields::form(&db, tenant.id)
            .await
            .unwrap();
        assert!(form.extras.is_empty());
        (form.name, form.kana, form.phone)
    };
    assert_eq!(
        asked("all").await,
        (Some(Required), Some(Required), Some(First))
    );
    assert_eq!(asked("name").await, (Some(Required), None, None));
    assert_eq!(asked("phone").await, (Some(Required), None, Some(First)));
    assert_eq!(asked("none").await, (None, None, None));
    // A municipality added afterwards asks what they all asked by default.
    let new = madoguchi::db::tenants::create_tenant(&db, "new", "新市", 0)
        .await
        .unwrap();
    assert_eq!(
        madoguchi::db::recipient_fields::form(&db, new)
            .await
            .unwrap(),
        madoguchi::core::recipient_fields::RecipientForm::default()
    );
    drop(db);
    if backend == Backend::Postgres
        && let Some(cluster) = crate::common::pg::cluster()
    {
        cluster.drop_database(&url);
    }
}
on_both_databases!(old_settings_keep_their_meaning);
