use crate::support::TestApp;

#[tokio::test]
async fn health_and_ready_answer_without_login() {
    let app = TestApp::spawn().await;
    let health = app.api().get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.api().get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap()["status"], "ready");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_no_store() {
    let app = TestApp::spawn().await;
    let response = app.api().get(app.url("/login")).send().await.unwrap();
    assert!(response.headers().contains_key("x-request-id"));
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["x-frame-options"], "DENY");
}

#[tokio::test]
async fn unknown_page_is_a_german_404_and_unknown_api_path_a_problem() {
    let app = TestApp::spawn().await;
    let page = app.api().get(app.url("/gibt-es-nicht")).send().await.unwrap();
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("Diese Seite gibt es nicht"));
    let api = app.api().get(app.url("/api/v1/gibt-es-nicht")).send().await.unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
}
