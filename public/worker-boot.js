// The generator worker's entry point, spawned by src/platform/worker.rs as
// `worker-boot.js#<page id>`. It loads Trunk's worker.js and worker_bg.wasm; when either cannot
// load (blocked, missing, offline before the service worker saved it), it tells its page why on
// the BroadcastChannel named after the page id, so the page says that generation and the later
// topics' texts are unavailable instead of waiting for a reply that never comes. When this file
// itself cannot load, the page learns it from the Worker's error event (see watching_load there).
(function () {
  var channel = 'tfstudio-worker-' + self.location.hash.slice(1);
  function failed(file, error) {
    var why = (error && error.message) || String(error);
    new BroadcastChannel(channel).postMessage(file + ': ' + why);
  }
  try {
    importScripts('./worker.js');
  } catch (e) {
    failed('worker.js', e);
    return;
  }
  wasm_bindgen('./worker_bg.wasm').catch(function (e) { failed('worker_bg.wasm', e); });
})();
