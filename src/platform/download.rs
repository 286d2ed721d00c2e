//! Saving bytes as a file through the browser's download mechanism.

use wasm_bindgen::JsCast;

/// Offers `bytes` as a download named `filename`. Returns a message on failure.
pub fn save_bytes(bytes: &[u8], filename: &str, mime: &str) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| "The browser could not create the file.".to_string())?;
    save_blob(&blob, filename)
}

pub fn save_text(text: &str, filename: &str, mime: &str) -> Result<(), String> {
    save_bytes(text.as_bytes(), filename, mime)
}

fn save_blob(blob: &web_sys::Blob, filename: &str) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob)
        .map_err(|_| "The browser could not prepare the download.".to_string())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("No document.")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "The browser could not start the download.")?
        .dyn_into()
        .map_err(|_| "The browser could not start the download.")?;
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.click();
    // Revoke later: some browsers read the URL after click() returns.
    let url_for_revoke = url.clone();
    gloo::timers::callback::Timeout::new(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url_for_revoke);
    })
    .forget();
    Ok(())
}
