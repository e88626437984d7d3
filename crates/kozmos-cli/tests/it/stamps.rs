//! Change tracking for sync: every field carries (hlc, site); stamps only move forward.

use crate::common;

use common::{draft, TestDb, NOON};
use kozmos_core::association::{self, LogoChange, TABLE};
use kozmos_core::hlc;
use kozmos_core::store::{load_local, Life, Value, LIFE_COLUMN};
use kozmos_core::Error;

#[tokio::test]
async fn a_new_row_stamps_every_field_with_this_site() {
    let db = TestDb::new().await;
    let mut d = draft("Kulturbrücke e.V.");
    d.city = "Dessau-Roßlau".into();
    let a = association::create(&db.k.store, &d, LogoChange::Keep).await.unwrap();
    let stamps = db.k.store.stamps(&TABLE, &a.id).await.unwrap();
    assert_eq!(
        stamps.len(),
        TABLE.columns.len() + 1,
        "every column and the life register"
    );
    assert!(stamps.contains_key(LIFE_COLUMN));
    let first = &stamps["name"];
    assert!(stamps.values().all(|s| s == first), "one write, one stamp");
    assert_eq!(*first.site, db.k.installation().await.unwrap().site_id);
    assert_eq!(hlc::millis(first.hlc), NOON);
}

#[tokio::test]
async fn keys_are_uuid_v7_in_creation_order() {
    let db = TestDb::new().await;
    let a = association::create(&db.k.store, &draft("A"), LogoChange::Keep)
        .await
        .unwrap();
    db.clock.set(NOON + 5);
    let b = association::create(&db.k.store, &draft("B"), LogoChange::Keep)
        .await
        .unwrap();
    let (ua, ub) = (
        uuid::Uuid::parse_str(&a.id).unwrap(),
        uuid::Uuid::parse_str(&b.id).unwrap(),
    );
    assert_eq!(ua.get_version_num(), 7);
    assert!(ub > ua);
}

#[tokio::test]
async fn a_field_edited_twice_gets_a_newer_stamp_and_untouched_fields_keep_theirs() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let mut d = draft("Verein A");
    d.city = "Jena".into();
    let a = association::create(store, &d, LogoChange::Keep).await.unwrap();
    let created = store.stamps(&TABLE, &a.id).await.unwrap();

    db.clock.set(NOON + 1_000);
    d.city = "Gera".into();
    association::update(store, &a.id, &d, LogoChange::Keep).await.unwrap();
    let first_edit = store.stamps(&TABLE, &a.id).await.unwrap();

    db.clock.set(NOON + 2_000);
    d.city = "Weimar".into();
    association::update(store, &a.id, &d, LogoChange::Keep).await.unwrap();
    let second_edit = store.stamps(&TABLE, &a.id).await.unwrap();

    assert!(created["city"] < first_edit["city"] && first_edit["city"] < second_edit["city"]);
    assert_eq!(hlc::millis(second_edit["city"].hlc), NOON + 2_000);
    for col in ["name", "postcode", "themes", LIFE_COLUMN] {
        assert_eq!(second_edit[col], created[col], "{col} was not touched");
    }
    assert_eq!(
        association::get(store, &a.id).await.unwrap().fields.city.as_deref(),
        Some("Weimar")
    );
}

#[tokio::test]
async fn saving_unchanged_values_writes_nothing() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let d = draft("Gleich bleibt gleich");
    let a = association::create(store, &d, LogoChange::Keep).await.unwrap();
    let (before, clock_before) = (store.stamps(&TABLE, &a.id).await.unwrap(), store.clock().await.unwrap());
    db.clock.set(NOON + 60_000);
    let mut same = d.clone();
    same.name = "  Gleich bleibt gleich  ".into(); // trimmed to the stored value
    association::update(store, &a.id, &same, LogoChange::Keep)
        .await
        .unwrap();
    assert_eq!(store.stamps(&TABLE, &a.id).await.unwrap(), before);
    assert_eq!(store.clock().await.unwrap(), clock_before);
}

#[tokio::test]
async fn the_clock_survives_a_restart_and_a_wall_clock_that_jumps_back() {
    let db = TestDb::new().await;
    let a = association::create(&db.k.store, &draft("Uhrentest"), LogoChange::Keep)
        .await
        .unwrap();
    let before = db.k.store.stamps(&TABLE, &a.id).await.unwrap()["name"].clone();
    let persisted = db.k.store.clock().await.unwrap();
    assert_eq!(persisted, before.hlc);

    // Restart with the wall clock one hour behind.
    let db = db.reopen(NOON - 3_600_000).await;
    assert_eq!(
        db.k.store.clock().await.unwrap(),
        persisted,
        "clock persisted across restart"
    );
    let mut d = draft("Uhrentest");
    d.city = "Suhl".into();
    association::update(&db.k.store, &a.id, &d, LogoChange::Keep)
        .await
        .unwrap();
    let after = db.k.store.stamps(&TABLE, &a.id).await.unwrap()["city"].clone();
    assert!(after.hlc > before.hlc, "a stamp never goes back");
    assert_eq!(
        hlc::millis(after.hlc),
        NOON,
        "the wall clock behind us does not pull stamps back"
    );

    // And further back still, while running.
    db.clock.set(0);
    let b = association::create(&db.k.store, &draft("Noch einer"), LogoChange::Keep)
        .await
        .unwrap();
    let newest = db.k.store.stamps(&TABLE, &b.id).await.unwrap()["name"].clone();
    assert!(newest.hlc > after.hlc);
}

#[tokio::test]
async fn delete_leaves_a_tombstone_that_can_be_restored() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let a = association::create(store, &draft("Wird gelöscht"), LogoChange::Keep)
        .await
        .unwrap();
    let created = store.stamps(&TABLE, &a.id).await.unwrap();

    db.clock.set(NOON + 1_000);
    let deleted = association::delete(store, &a.id).await.unwrap();
    assert_eq!(deleted.life, Life::Deleted);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM associations").await,
        1,
        "the row stays as a tombstone"
    );
    let after_delete = store.stamps(&TABLE, &a.id).await.unwrap();
    assert!(after_delete[LIFE_COLUMN] > created[LIFE_COLUMN]);
    assert_eq!(after_delete["name"], created["name"]);
    assert_eq!(association::list(store, &Default::default()).await.unwrap().total, 0);

    // A deleted association cannot be edited; nothing is written.
    let err = association::update(store, &a.id, &draft("Neu"), LogoChange::Keep)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }));
    assert_eq!(store.stamps(&TABLE, &a.id).await.unwrap(), after_delete);

    db.clock.set(NOON + 2_000);
    let restored = association::restore(store, &a.id).await.unwrap();
    assert_eq!(restored.life, Life::Alive);
    assert_eq!(restored.fields.name, "Wird gelöscht");
    assert!(store.stamps(&TABLE, &a.id).await.unwrap()[LIFE_COLUMN] > after_delete[LIFE_COLUMN]);
    assert_eq!(association::list(store, &Default::default()).await.unwrap().total, 1);
}

#[tokio::test]
async fn unknown_ids_are_not_found_and_change_nothing() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let clock = store.clock().await.unwrap();
    for id in [
        "",
        "nope",
        "01a22760-4bd4-771d-80f3-4eabd0a3b6db",
        "'; DROP TABLE associations; --",
    ] {
        assert!(matches!(association::get(store, id).await, Err(Error::NotFound { .. })));
        assert!(matches!(
            association::delete(store, id).await,
            Err(Error::NotFound { .. })
        ));
        assert!(matches!(
            association::update(store, id, &draft("X"), LogoChange::Keep).await,
            Err(Error::NotFound { .. })
        ));
    }
    assert_eq!(store.clock().await.unwrap(), clock);
    assert_eq!(db.count("SELECT COUNT(*) FROM stamps").await, 0);
}

#[tokio::test]
async fn a_writer_commits_all_its_writes_or_none() {
    use kozmos_core::store::{to_fields, Value};
    let db = TestDb::new().await;
    let store = &db.k.store;
    let clock = store.clock().await.unwrap();
    let fields = |name: &str| {
        let mut f = kozmos_core::store::Fields::new();
        f.insert("name", Value::Text(name.into()));
        f.insert("status", Value::Text("active".into()));
        f
    };
    {
        let mut w = store.writer().await.unwrap();
        w.insert(&TABLE, fields("Erster")).await.unwrap();
        w.insert(&TABLE, fields("Zweiter")).await.unwrap();
        // dropped without commit
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM associations").await, 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM stamps").await, 0);
    assert_eq!(
        store.clock().await.unwrap(),
        clock,
        "the clock is saved only with the writes"
    );

    let mut w = store.writer().await.unwrap();
    let a = w.insert(&TABLE, fields("Erster")).await.unwrap();
    let b = w.insert(&TABLE, fields("Zweiter")).await.unwrap();
    w.update(
        &TABLE,
        &a,
        to_fields(&TABLE, &serde_json::json!({"city": "Gotha"})).unwrap(),
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    let (sa, sb) = (
        store.stamps(&TABLE, &a).await.unwrap(),
        store.stamps(&TABLE, &b).await.unwrap(),
    );
    assert!(
        sa["name"] < sb["name"] && sb["name"] < sa["city"],
        "each write in a writer gets its own stamp"
    );
    assert_eq!(store.clock().await.unwrap(), sa["city"].hlc);
}

/// A database from before schema 18 keeps every field's stamp under its column. The migration turns
/// the rows that stamp every column into one default stamp plus exceptions, leaves the others, and
/// every row reads back exactly as before.
#[tokio::test]
async fn stamps_migration_compacts_complete_rows_and_every_row_reads_back_the_same() {
    use kozmos_core::store::stamps;
    use kozmos_core::sync::TABLES;
    use std::collections::BTreeMap;

    let db = TestDb::new().await;
    let pool = db.k.store.pool();
    let a = association::create(&db.k.store, &draft("Verein A"), LogoChange::Keep)
        .await
        .unwrap();
    let written = db.k.store.stamps(&TABLE, &a.id).await.unwrap();

    type StampsByColumn = BTreeMap<String, (i64, i64)>;
    let mut before: Vec<(&str, String, StampsByColumn)> = Vec::new();
    for spec in TABLES {
        let cols: Vec<&str> = std::iter::once(LIFE_COLUMN)
            .chain(spec.columns.iter().map(|c| c.name))
            .collect();
        let complete: StampsByColumn = cols
            .iter()
            .enumerate()
            .map(|(i, c)| (c.to_string(), if i == 1 { (200, 2) } else { (100, 1) }))
            .collect();
        let mut partial = complete.clone();
        partial.remove(cols[cols.len() - 1]);
        for (id, map) in [("complete", complete), ("partial", partial)] {
            let json =
                serde_json::to_string(&map.iter().map(|(c, (h, n))| (c, [h, n])).collect::<BTreeMap<_, _>>()).unwrap();
            sqlx::query("INSERT INTO stamps (tbl, row_id, stamps) VALUES (?, ?, ?)")
                .bind(spec.name)
                .bind(id)
                .bind(json)
                .execute(pool)
                .await
                .unwrap();
            before.push((spec.name, id.to_string(), map));
        }
    }

    sqlx::raw_sql(include_str!("../../../kozmos-core/migrations/0018_compact_stamps.sql"))
        .execute(pool)
        .await
        .unwrap();

    for (table, id, map) in before {
        let spec = kozmos_core::sync::table(table).unwrap();
        let json: String = sqlx::query_scalar("SELECT stamps FROM stamps WHERE tbl = ? AND row_id = ?")
            .bind(table)
            .bind(&id)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(stamps::parse_numbers(&json, spec).unwrap(), map, "{table} {id}: {json}");
        if id == "complete" {
            assert_eq!(
                json,
                r#"{"*":[100,1],"name":[200,2]}"#.replace("name", spec.columns[0].name),
                "{table}"
            );
        } else {
            assert!(
                !json.contains('*'),
                "{table}: a row missing a stamp has no default: {json}"
            );
        }
    }
    assert_eq!(db.k.store.stamps(&TABLE, &a.id).await.unwrap(), written);
}

/// Merging reads the local rows straight from SQLite (`store::load_local`): the values of every
/// type (Arabic and Vietnamese text, numbers, a logo's bytes, empty fields), the life and the
/// stamps are those the store reads through sqlx; ids not stored are simply absent.
#[tokio::test]
async fn rows_read_for_merging_are_the_stored_rows_with_their_stamps() {
    let db = TestDb::new().await;
    let mut d = draft("الجمعية السورية الألمانية");
    d.city = "Hải Phòng".into();
    let a = association::create(&db.k.store, &d, LogoChange::Keep).await.unwrap();
    let b = association::create(&db.k.store, &draft("Українська громада"), LogoChange::Keep)
        .await
        .unwrap();
    db.clock.set(NOON + 5);
    let logo = [
        ("logo", Value::Blob(vec![0x89, b'P', 0, 0xff, 0xfe])),
        ("logo_mime", Value::Text("image/png".into())),
        ("founded_year", Value::Int(1999)),
    ];
    db.k.store
        .update(&TABLE, &a.id, logo.into_iter().collect())
        .await
        .unwrap();
    let mut conn = db.k.store.pool().acquire().await.unwrap();
    let local = load_local(
        &mut conn,
        &TABLE,
        &[&a.id, "0190a0a0-0000-7000-8000-000000000000", &b.id],
    )
    .await
    .unwrap();
    drop(conn);
    assert_eq!(local.len(), 2, "the id not stored is absent");
    for id in [&a.id, &b.id] {
        let row = &local[id.as_str()];
        let stored = db.k.store.fetch(&TABLE, id).await.unwrap().unwrap();
        assert_eq!(row.fields, stored.fields);
        assert_eq!((row.life, row.changed_hlc), (stored.life, stored.changed_hlc));
        let stamps = db.k.store.stamps(&TABLE, id).await.unwrap();
        assert_eq!(row.stamps.iter(&TABLE).count(), stamps.len());
        for (col, stamp) in &stamps {
            assert_eq!(row.stamps.get(col.as_str()), Some(stamp), "{col}");
        }
    }
    assert_eq!(
        local[a.id.as_str()].fields["logo"],
        Value::Blob(vec![0x89, b'P', 0, 0xff, 0xfe])
    );
    assert_eq!(local[a.id.as_str()].fields["short_name"], Value::Null);
}

/// A stored value of the wrong type (a year in words) or text that is not UTF-8 makes reading the
/// rows for a merge fail with a message, never a panic, and the connection stays usable.
#[tokio::test]
async fn a_damaged_stored_value_fails_the_read_for_merging_clearly() {
    let db = TestDb::new().await;
    let a = association::create(&db.k.store, &draft("Kulturbrücke e.V."), LogoChange::Keep)
        .await
        .unwrap();
    for (damage, what) in [
        ("founded_year = 'neunzehnhundert'", "founded_year"),
        ("city = CAST(x'4d61ff6465' AS TEXT)", "UTF-8"),
    ] {
        // Damage from outside the store (a broken disk, another program), hence not through it.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE associations SET {damage} WHERE id = ?"
        )))
        .bind(&a.id)
        .execute(db.k.store.pool())
        .await
        .unwrap();
        let mut conn = db.k.store.pool().acquire().await.unwrap();
        match load_local(&mut conn, &TABLE, &[&a.id]).await {
            Err(Error::Database(message)) => assert!(message.contains(what), "{message}"),
            other => panic!("{damage}: {:?}", other.map(|rows| rows.len())),
        }
        let alive: i64 = sqlx::query_scalar("SELECT count(*) FROM associations")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(alive, 1, "the connection still answers");
        sqlx::query("UPDATE associations SET founded_year = NULL, city = 'Halle' WHERE id = ?")
            .bind(&a.id)
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}
