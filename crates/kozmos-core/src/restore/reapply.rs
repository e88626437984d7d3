//! What a restore must not undo: every erasure, and every person the other network no longer
//! shares (invariant 30), that the current database knows is applied again to the restored state
//! before it replaces the database. Only ids and notice stamps are carried over, no personal data.

use sqlx::sqlite::SqliteConnection;

use crate::error::Result;
use crate::privacy::erase::{self, MAX_PERSONS};
use crate::store::Store;
use crate::sync::withheld::{self, Marks, Plan};

/// The erasures and withheld persons of the current database.
pub struct Known {
    erased: Vec<String>,
    withheld: Marks,
}

pub async fn known(current: &mut SqliteConnection) -> Result<Known> {
    let erased = sqlx::query_scalar("SELECT id FROM persons WHERE life = 'purged' ORDER BY id")
        .fetch_all(&mut *current)
        .await?;
    Ok(Known {
        erased,
        withheld: withheld::marks(current).await?,
    })
}

/// The persons erased in the current database that the restored state (`stage`) still holds.
pub async fn erasures_undone(stage: &mut SqliteConnection, known: &Known) -> Result<Vec<String>> {
    let ids = crate::store::json_list(&known.erased);
    Ok(sqlx::query_scalar(
        "SELECT id FROM persons WHERE life <> 'purged' AND id IN (SELECT value FROM json_each(?)) ORDER BY id",
    )
    .bind(ids)
    .fetch_all(&mut *stage)
    .await?)
}

/// Erases again what the restored state still holds and forgets again the persons withheld now;
/// returns how many erasures were applied again.
pub async fn reapply(staged: &Store, known: &Known) -> Result<u64> {
    let mut conn = staged.pool().acquire().await?;
    let undone = erasures_undone(&mut conn, known).await?;
    drop(conn);
    for chunk in undone.chunks(MAX_PERSONS) {
        erase::erase(staged, chunk).await?;
    }
    if !known.withheld.is_empty() {
        let mut w = staged.writer().await?;
        let plan = Plan {
            record: known.withheld.clone(),
            ..Plan::default()
        };
        let forgotten = withheld::apply(&mut w, &plan).await?;
        w.commit().await?;
        if forgotten > 0 {
            erase::vacuum(staged).await?;
        }
    }
    Ok(undone.len() as u64)
}
