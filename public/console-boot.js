(function () {
  // Plain ES5 on purpose: it must run on the old browsers it is there to catch.
  function fail() {
    if (!document.getElementById('ow-boot')) return; // the console is up
    document.getElementById('ow-loading').setAttribute('hidden', '');
    document.getElementById('ow-fallback').removeAttribute('hidden');
  }
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    fail();
    return;
  }
  window.addEventListener('unhandledrejection', fail);
  window.addEventListener('error', fail);
})();
