//! The live editor for S3 replication configurations: a Yew single-page app that checks the
//! document and derives its policies on every keystroke, entirely in the browser.
//!
//! `App` is exported so tests (and the embedding element) can mount it; `main.rs` renders it
//! into `#app`.

pub mod analysis;
mod app;
mod dom;
pub mod editor;
pub mod embed;
pub mod examples;
mod field_check;
mod iac;
pub mod markdown;
mod panels;
pub mod share;

pub use app::{App, AppProps, EmbedOptions, Panels};

use std::rc::Rc;

/// An `Rc` whose equality is identity: props holding one re-render only when a new value was
/// computed, without comparing (possibly large) contents.
pub struct Shared<T>(pub Rc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Mount the playground into the element with id `id` when it is marked as the playground's
/// root (`data-s3rl-playground`, see www/app/index.html); does nothing otherwise. This runs
/// whenever the module loads, also on host pages that only embed editors (the custom element,
/// `mount()`), and those often have an `#app` of their own that must be left alone.
pub fn mount_by_id(id: &str) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .filter(|el| el.has_attribute("data-s3rl-playground"));
    if let Some(el) = root {
        yew::Renderer::<App>::with_root(el).render();
    }
}
