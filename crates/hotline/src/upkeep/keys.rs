//! `hotline open311 key add CLIENT`: a new API key, stored only as its
//! SHA-256 and printed once (a second `add` for a client replaces its key).

use crate::clock::to_millis;
use crate::config::Config;
use crate::secret;
use crate::store::Store;

pub async fn add(config: &Config, client: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        !client.trim().is_empty(),
        "name the client, e.g. `city-platform`"
    );
    let key = secret::random_token();
    let store = Store::connect(&config.database.url, 1).await?;
    let mut tx = store.begin().await?;
    tx.set_open311_key(
        client.trim(),
        &secret::digest(&key),
        to_millis(chrono::Utc::now()),
    )
    .await?;
    tx.commit().await?;
    store.close().await;
    println!("API key for {}: {key}", client.trim());
    println!("It is shown only now; the database keeps only its SHA-256.");
    Ok(())
}
