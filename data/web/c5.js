/* c5.js — the console's only script: local times, live warnings, one chart.
 * Every page works without it. */
(function () {
  'use strict';
  function localTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (isNaN(d)) return;
      t.title = t.getAttribute('datetime');
      t.textContent = d.toLocaleString(document.documentElement.lang);
    });
  }
  function liveWarnings() {
    var list = document.getElementById('warnings-live');
    if (!list || !window.EventSource) return;
    var es = new EventSource('/console/stream');
    es.addEventListener('warning', function (e) {
      var w = JSON.parse(e.data), li = document.createElement('li');
      var tlp = document.createElement('span');
      tlp.className = 'tlp tlp-' + w.tlp; tlp.textContent = 'TLP:' + w.tlp;
      var title = document.createElement('strong'); title.textContent = w.title;
      var time = document.createElement('time'); time.setAttribute('datetime', w.created);
      time.textContent = w.created;
      li.append(tlp, ' ', title, ' · ' + w.classification + ' · ' + w.severity + ' · ', time);
      list.prepend(li);
      localTimes(li);
      var none = document.getElementById('warnings-none');
      if (none) none.remove();
    });
  }
  function chart() {
    var c = document.getElementById('events-chart'), t = document.getElementById('events-data');
    if (!c || !t || !window.Chart) return;
    var labels = [], data = [];
    t.querySelectorAll('tbody tr').forEach(function (r) {
      labels.push(r.cells[0].textContent); data.push(+r.cells[1].textContent);
    });
    new window.Chart(c, {type: 'bar', data: {labels: labels, datasets: [{label: t.caption.textContent,
      data: data, backgroundColor: '#0b4f9c'}]}, options: {animation: false, plugins: {legend: {display: false}}}});
  }
  // any canvas.chart-auto: a bar chart of the table named by its data-table
  function autoCharts() {
    if (!window.Chart) return;
    document.querySelectorAll('canvas.chart-auto').forEach(function (c) {
      var t = document.getElementById(c.getAttribute('data-table')), labels = [], data = [];
      if (!t) return;
      t.querySelectorAll('tbody tr').forEach(function (r) {
        labels.push(r.cells[0].textContent); data.push(+r.cells[1].textContent);
      });
      new window.Chart(c, {type: 'bar', data: {labels: labels, datasets: [{label: t.caption.textContent,
        data: data, backgroundColor: '#0b4f9c'}]}, options: {animation: false, plugins: {legend: {display: false}}}});
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    autoCharts();
    localTimes(document); liveWarnings(); chart();
  });
})();
/* Self-assessment pages: save answers as one goes (the Save button does the
 * same without the script), and the results' charts from their tables. */
(function () {
  'use strict';
  function autosave() {
    var f = document.getElementById('assess-answer'), out = document.getElementById('autosave');
    if (!f || !out || !window.fetch) return;
    f.addEventListener('change', function (e) {
      if (e.target && e.target.type === 'file') return; /* a file goes with Save */
      var body = new URLSearchParams(new FormData(f));
      body.set('action', 'save');
      out.textContent = '…';
      fetch(f.getAttribute('action'), {method: 'POST', body: body, credentials: 'same-origin', redirect: 'manual'})
        .then(function (r) {
          var ok = r.type === 'opaqueredirect' || (r.status >= 200 && r.status < 400);
          out.textContent = ok ? out.getAttribute('data-saved') || 'saved' : 'not saved (' + r.status + ')';
          out.className = ok ? 'ok' : 'bad';
        }).catch(function () { out.textContent = 'not saved'; out.className = 'bad'; });
    });
  }
  function rows(id) {
    var t = document.getElementById(id), l = [], d = [];
    if (!t) return null;
    t.querySelectorAll('tbody tr').forEach(function (r) {
      l.push(r.cells[0].textContent); d.push(parseFloat(r.cells[1].textContent) || 0);
    });
    return {labels: l, data: d, caption: t.caption.textContent};
  }
  function chart(canvas, table, type, max) {
    var c = document.getElementById(canvas), r = rows(table);
    if (!c || !r || !window.Chart) return;
    var scale = type === 'radar' ? {r: {min: 0, max: max}} : {y: {min: 0, max: max}};
    if (type === 'bar') scale = {x: {min: 0, max: max}};
    new window.Chart(c, {type: type, data: {labels: r.labels, datasets: [{label: r.caption, data: r.data,
      backgroundColor: 'rgba(11,79,156,0.35)', borderColor: '#0b4f9c'}]},
      options: {animation: false, indexAxis: type === 'bar' ? 'y' : 'x', scales: scale,
        plugins: {legend: {display: false}}}});
  }
  document.addEventListener('DOMContentLoaded', function () {
    autosave();
    chart('assess-radar', 'pillar-data', 'radar', 20);
    chart('assess-bars', 'indicator-data', 'bar', 1);
    chart('assess-trend', 'trend-data', 'line', 100);
  });
})();
