// 补正 upload page: photos go to /api/v1/uploads one by one, then the list of ids, the
// note and the query code to /api/v1/track/materials. Plain ES5 over fetch: no app to
// download for one form.
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var no = new URLSearchParams(location.search).get('no');
  if (no) $('m-no').value = no;
  function say(text) { $('m-status').textContent = text; }
  function answer(r) {
    return r.json().then(function (body) { if (!r.ok) throw body; return body; });
  }
  function post(url, body) {
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(answer);
  }
  function creds() { return { tracking_no: $('m-no').value.trim(), query_code: $('m-code').value.trim() }; }
  function fail(e) {
    var field = e && e.fields && e.fields[0];
    say((field && field.message) || (e && e.message) || '网络异常，请稍后重试');
  }
  $('m-show').onclick = function () {
    post('/api/v1/track', creds()).then(function (v) {
      var asked = v.events.filter(function (e) { return e.kind === 'materials_requested'; }).pop();
      $('m-items').textContent = asked ? asked.note : '目前没有需要补充的材料。';
    }, fail);
  };
  $('m-form').onsubmit = function (ev) {
    ev.preventDefault();
    var files = [].slice.call($('m-photos').files);
    var ids = [];
    var chain = Promise.resolve();
    $('m-submit').disabled = true;
    say(files.length ? '正在上传照片…' : '正在提交…');
    files.forEach(function (f) {
      chain = chain.then(function () {
        return fetch('/api/v1/uploads', { method: 'POST', headers: { 'content-type': f.type }, body: f })
          .then(answer).then(function (p) { ids.push(p.id); });
      });
    });
    chain.then(function () {
      var body = creds();
      body.photo_ids = ids;
      body.note = $('m-note').value;
      return post('/api/v1/track/materials', body);
    }).then(function () {
      say('已提交，工作人员会尽快查看。可在“查进度”中查看办理情况。');
    }, function (e) {
      $('m-submit').disabled = false;
      fail(e);
    });
  };
})();
