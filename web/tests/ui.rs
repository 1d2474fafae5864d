//! The Yew app mounted in headless Chromium (wasm-bindgen-test): it renders the built-in
//! example with the accessible names the end-to-end tests rely on, and an edit re-checks the
//! document. The full user journeys are the Playwright tests in tests/e2e/.
#![cfg(target_arch = "wasm32")]

use s3_replication_lint_web::{App, AppProps};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(root.clone(), AppProps::default()).render();
    root
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(300)).await;
}

fn problems(root: &Element) -> String {
    root.query_selector("#diagnostics-heading")
        .unwrap()
        .and_then(|h| h.parent_element())
        .and_then(|p| p.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn renders_the_example_and_rechecks_on_input() {
    let root = mount();
    settle().await;
    let editor: HtmlTextAreaElement = root
        .query_selector("textarea[aria-label='Replication configuration']")
        .unwrap()
        .expect("the editor textbox")
        .dyn_into()
        .unwrap();
    assert!(editor.value().contains("<ReplicationConfiguration"));
    assert!(root
        .query_selector("[aria-label='Diagnostics']")
        .unwrap()
        .is_some());
    assert!(problems(&root).contains("0 errors"), "{}", problems(&root));

    // Break the document the way a user would and let the input handler run.
    editor.set_value(
        &editor
            .value()
            .replace("<Status>Enabled</Status>", "<Status>enabled</Status>"),
    );
    let event = web_sys::Event::new("input").unwrap();
    editor.dispatch_event(&event).unwrap();
    settle().await;
    let text = problems(&root);
    assert!(!text.contains("0 errors"), "{text}");
    assert!(text.contains("S3R200"), "{text}");
}
