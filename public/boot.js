(function () {
  // Plain ES5 on purpose: it must run on the old browsers it is there to catch
  // (old WeChat, iOS < 15), where the app cannot start and would leave a blank page.
  function show(id) {
    var boot = document.getElementById('ow-boot');
    if (!boot) return; // the app is up
    var ids = ['ow-loading', 'ow-slow', 'ow-fallback'];
    for (var i = 0; i < ids.length; i++) {
      var el = document.getElementById(ids[i]);
      if (ids[i] === id) el.removeAttribute('hidden'); else el.setAttribute('hidden', '');
      el.style.display = ids[i] === id ? '' : 'none';
    }
  }
  function fail() { show('ow-fallback'); }
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    fail();
    return;
  }
  // A module that fails to load or a wasm the engine rejects ends up here.
  window.addEventListener('unhandledrejection', fail);
  window.addEventListener('error', fail);
  // Still loading after 10 s: most likely a slow network, not an old browser.
  setTimeout(function () {
    var fallback = document.getElementById('ow-fallback'); // gone once the app is up
    if (fallback && fallback.hasAttribute('hidden')) show('ow-slow');
  }, 10000);
})();
