//! start.integration in a real Chromium, as issue 4 tells it: a Neuzuzüger from a register delivery appears in
//! the list of the Integrationsbeauftragte of Olten, who invites her, records the Erstinformationsgespräch
//! with a recommendation and hands the case to the Migrationsamt; the Migrationsamt decides, and the decision
//! is back on the Neuzuzüger's page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::browser::{ChromeDriver, choose, click, fill, log_in, log_out, path_of, wait_for, wait_for_notice};
use crate::support::TestApp;
use fantoccini::{Client, Locator};
use iim_ech::read_delivery;

async fn main_text(client: &Client) -> String {
    wait_for(client, "main").await.text().await.unwrap()
}

#[tokio::test]
#[ignore = "braucht Chromium: scripts/test führt ihn aus"]
async fn a_neuzuzueger_is_invited_informed_and_handed_to_the_migrationsamt() {
    let app = TestApp::spawn().await;
    let path = format!("{}/../ech/tests/fixtures/move-in-from-abroad.xml", env!("CARGO_MANIFEST_DIR"));
    let xml = std::fs::read_to_string(path).unwrap();
    app.store
        .import_register_delivery(
            &app.store.operator().operator_actor("ib.olten").await.unwrap(),
            "zuzug.xml",
            read_delivery(xml.as_bytes()).unwrap(),
        )
        .await
        .unwrap();
    let driver = ChromeDriver::start().await;
    let client = driver.connect().await;

    log_in(&client, &app, "ib.olten").await;
    click(&client, Locator::LinkText("Neuzuzüger")).await;
    click(&client, Locator::LinkText("Tesfamariam-Čelik, Selam Ñaomi")).await;
    wait_for(&client, "#status").await;
    let neuzuzueger = path_of(&client).await;
    choose(&client, "status", "eingeladen").await;
    fill(&client, "datum", "16.11.2026").await;
    click(&client, Locator::Css("form[action$='/status'] button[type=submit]")).await;
    wait_for_notice(&client, "Die Änderungen sind gespeichert.").await;

    click(&client, Locator::LinkText("Gespräch erfassen")).await;
    wait_for(&client, "#gefuehrt_am").await;
    fill(&client, "gefuehrt_am", "20.11.2026").await;
    choose(&client, "sprache", "ti").await;
    click(&client, Locator::Id("dolmetscher-ja")).await;
    click(&client, Locator::Id("themen-sprache")).await;
    click(&client, Locator::Id("themen-arbeit")).await;
    choose(&client, "empfehlung_art_1", "deutschkurs").await;
    fill(&client, "empfehlung_text_1", "Deutsch A1 am Abend, Volkshochschule Olten").await;
    fill(&client, "nachfassen_am", "20.02.2027").await;
    click(&client, Locator::Css("main form.form button[type=submit]")).await;
    wait_for_notice(&client, "Das Erstinformationsgespräch ist gespeichert.").await;
    let page = main_text(&client).await;
    assert!(page.contains("Deutschkurs: Deutsch A1 am Abend, Volkshochschule Olten"), "{page}");
    assert!(page.contains("Gespräch geführt"), "{page}");

    click(&client, Locator::LinkText("An das Migrationsamt übergeben")).await;
    wait_for(&client, "#begruendung").await;
    click(&client, Locator::Id("empfehlung-integrationsvereinbarung")).await;
    fill(&client, "begruendung", "Nimmt die empfohlenen Kurse trotz Erinnerung nicht wahr.").await;
    click(&client, Locator::Css("main form button[type=submit]")).await;
    wait_for_notice(&client, "Der Fall ist dem Migrationsamt übergeben.").await;
    log_out(&client).await;

    log_in(&client, &app, "migrationsamt").await;
    click(&client, Locator::LinkText("Fordern")).await;
    click(&client, Locator::LinkText("Tesfamariam-Čelik, Selam Ñaomi")).await;
    wait_for(&client, "#entscheid-integrationsvereinbarung").await;
    let case = main_text(&client).await;
    assert!(case.contains("Nimmt die empfohlenen Kurse") && !case.contains("Volkshochschule"), "{case}");
    click(&client, Locator::Id("entscheid-integrationsvereinbarung")).await;
    click(&client, Locator::Css("main form button[type=submit]")).await;
    wait_for_notice(&client, "Der Entscheid ist gespeichert.").await;
    client.goto(&app.url(&neuzuzueger)).await.unwrap();
    assert!(main_text(&client).await.contains("existiert nicht"), "the Migrationsamt never sees the neuzuzueger");
    client.goto(&app.url("/")).await.unwrap();
    log_out(&client).await;

    log_in(&client, &app, "ib.olten").await;
    client.goto(&app.url(&neuzuzueger)).await.unwrap();
    let back = main_text(&client).await;
    assert!(back.contains("Integrationsvereinbarung abgeschlossen"), "{back}");
    client.close().await.unwrap();
}
