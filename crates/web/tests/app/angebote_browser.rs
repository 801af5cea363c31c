//! The public search in a real Chromium: search, narrow by a facet, open the offer. Each public page is
//! checked with axe-core (installed by scripts/install-axe.sh) for serious or critical accessibility findings.

use crate::angebote_public::app_with_offers;
use crate::browser::{ChromeDriver, assert_accessible, click, fill, path_of, text_of, wait_for};
use fantoccini::Locator;

#[tokio::test]
#[ignore = "braucht Chromium: scripts/test führt ihn aus"]
async fn a_neighbour_searches_narrows_and_opens_an_offer() {
    let (app, offers) = app_with_offers().await;
    let driver = ChromeDriver::start().await;
    let client = driver.connect().await;

    client.goto(&app.url("/angebote")).await.unwrap();
    wait_for(&client, "#q").await;
    assert_accessible(&client).await;

    fill(&client, "q", "deutschkurs abend").await;
    click(&client, Locator::Css(".search__row button[type=submit]")).await;
    wait_for(&client, "#q[value='deutschkurs abend']").await;
    assert_eq!(text_of(&client, "#treffer").await, "2 Angebote");
    assert_accessible(&client).await;

    click(&client, Locator::Css("input[name=gemeinde][value='2581']")).await;
    click(&client, Locator::Css(".offer-filters > button[type=submit]")).await;
    wait_for(&client, "input[name=gemeinde][value='2581'][checked]").await;
    assert_eq!(text_of(&client, "#treffer").await, "1 Angebot");
    let url = client.current_url().await.unwrap();
    assert!(url.query().unwrap_or_default().contains("gemeinde=2581"), "the filter is in the shareable address: {url}");

    click(&client, Locator::LinkText("Deutschkurs A1 am Abend")).await;
    wait_for(&client, "#anmeldung").await;
    assert_eq!(path_of(&client).await, format!("/angebote/{}", offers.olten));
    assert_eq!(text_of(&client, "h1").await, "Deutschkurs A1 am Abend");
    assert_accessible(&client).await;

    client.goto(&app.url(&format!("/angebote/{}", offers.abgelaufen))).await.unwrap();
    wait_for(&client, ".warning").await;
    assert_accessible(&client).await;
    client.close().await.unwrap();
}
