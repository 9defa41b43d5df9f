// Draws the run report from the JSON in #run-data with uPlot. When it is done, <body> carries
// data-ready="true", data-plots (how many plots were drawn) and data-errors (script errors, if any),
// which the report's browser test reads.
(function () {
  'use strict';
  var errors = [];
  function recordError(message) {
    errors.push(String(message));
    document.body.dataset.errors = errors.join(' | ');
  }
  window.addEventListener('error', function (e) { recordError(e.message); });

  var data = JSON.parse(document.getElementById('run-data').textContent);
  var run = data.run;
  var batches = data.batches || [];
  var drawn = 0;
  var WIDTH = 580, HEIGHT = 240;
  var RECOVERED = 'recovered from the ledger';
  var BLUE = '#1d5fb4', GREEN = '#17803d', ORANGE = '#c2580a', RED = '#b42318', GREY = '#5a6b7d';

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function fmt(n) { return n === null || n === undefined ? '-' : Number(n).toLocaleString('en-US'); }
  function compact(n) {
    var a = Math.abs(n);
    return a >= 1e9 ? (n / 1e9).toFixed(1) + 'G' : a >= 1e6 ? (n / 1e6).toFixed(1) + 'M' : a >= 1e4 ? (n / 1e3).toFixed(0) + 'k' : String(+n.toFixed(2));
  }
  var Y_AXIS = { size: 60, values: function (u, splits) { return splits.map(compact); } };
  var FROM_ZERO = { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } };
  function seconds(ms) { return (ms / 1000).toFixed(1) + ' s'; }
  function when(ms) { return ms === null || ms === undefined ? '-' : new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC'); }

  function section(id, title, note) {
    var box = el('div', { 'class': 'plot', id: id });
    box.appendChild(el('h3', {}, title));
    if (note) { box.appendChild(el('p', {}, note)); }
    document.getElementById('plots').appendChild(box);
    return box;
  }
  function empty(box, text) { box.appendChild(el('div', { 'class': 'empty' }, text)); }

  function lineChart(id, title, note, xs, series, xLabel) {
    var box = section(id, title, note);
    if (xs.length === 0) { empty(box, 'no batches recorded'); return; }
    var opts = {
      width: WIDTH, height: HEIGHT,
      scales: { x: { time: false }, y: FROM_ZERO },
      axes: [{ label: xLabel }, Y_AXIS],
      series: [{ label: xLabel }].concat(series.map(function (s) {
        return { label: s.label, stroke: s.color, fill: s.color + '22', width: 2, paths: s.bars ? uPlot.paths.bars({ size: [0.9, 60] }) : undefined,
          points: { show: false } };
      }))
    };
    new uPlot(opts, [xs].concat(series.map(function (s) { return s.values; })), box);
    drawn++;
  }

  function barChart(id, title, note, xLabel, labels, series, maxLabels) {
    var box = section(id, title, note);
    if (labels.length === 0) { empty(box, 'nothing recorded'); return; }
    var xs = labels.map(function (_, i) { return i; });
    var every = Math.ceil(labels.length / (maxLabels || 16));
    var opts = {
      width: WIDTH, height: HEIGHT,
      scales: { x: { time: false, range: function () { return [-0.6, labels.length - 0.4]; } }, y: FROM_ZERO },
      axes: [{
        splits: function () { return xs; },
        values: function (u, splits) { return splits.map(function (v) { return v % every === 0 ? labels[v] : ''; }); }
      }, Y_AXIS],
      series: [{ label: xLabel, value: function (u, v) { return v === null ? '-' : labels[v]; } }].concat(series.map(function (s, i) {
        return s.line
          ? { label: s.label, stroke: s.color, width: 2, points: { show: true, size: 5 } }
          : { label: s.label, stroke: s.color, fill: s.color + '99', paths: uPlot.paths.bars({ size: [0.7, 80], align: 0 }),
              points: { show: false } };
      }))
    };
    new uPlot(opts, [xs].concat(series.map(function (s) { return s.values; })), box);
    drawn++;
  }

  function table(container, headers, rows, numeric) {
    var t = el('table');
    var head = el('tr');
    headers.forEach(function (h, i) { head.appendChild(el('th', numeric[i] ? { 'class': 'num' } : {}, h)); });
    t.appendChild(head);
    rows.forEach(function (r) {
      var tr = el('tr');
      r.forEach(function (cell, i) {
        var td = el('td', numeric[i] ? { 'class': 'num' } : {}, cell && cell.text !== undefined ? cell.text : cell);
        if (cell && cell.cls) { td.className += ' ' + cell.cls; }
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    container.appendChild(t);
  }

  function header() {
    document.title = 'metaload run ' + run.id + ' (' + run.load + ')';
    document.getElementById('title').textContent = 'Run ' + run.id + ' of load ' + run.load;
    var end = run.endedAt || Date.now();
    document.getElementById('subtitle').textContent = 'started ' + when(run.startedAt) + (run.endedAt ? ', ended ' + when(run.endedAt) : ', still running')
        + ' · runner ' + run.runner + (run.params ? ' · parameters ' + run.params : '');
    var facts = [
      ['status', run.status, 'status-' + run.status],
      ['rows written', fmt(run.rowsWritten) + ' of ' + fmt(run.sourceRows)],
      ['wall time', seconds(end - run.startedAt)],
      ['rows/s', fmt(Math.round(run.rowsWritten / Math.max(0.001, (end - run.startedAt) / 1000)))],
      ['batches', fmt(run.batches)],
      ['attempts', fmt(run.attempt)],
      ['retries', fmt(run.retries)],
      ['bytes to the target', run.bytes === undefined ? 'not measured' : (run.bytes / 1048576).toFixed(1) + ' MiB'],
      ['partitions', fmt((data.partitions || []).length)],
      ['workers', fmt(distinct(batches.filter(function (b) { return b.worker; }).map(function (b) { return b.worker; })).length)]
    ];
    var box = document.getElementById('facts');
    facts.forEach(function (f) {
      var d = el('div', { 'class': 'fact' });
      d.appendChild(el('b', f[2] ? { 'class': f[2] } : {}, f[1]));
      d.appendChild(el('span', {}, f[0]));
      box.appendChild(d);
    });
    if (run.message) {
      document.getElementById('message').appendChild(el('p', { 'class': 'message' }, run.message));
    }
  }

  function distinct(values) {
    var seen = {}, out = [];
    values.forEach(function (v) { if (!seen[v]) { seen[v] = true; out.push(v); } });
    return out;
  }

  function timeBins() {
    if (batches.length === 0) { return null; }
    var t0 = run.startedAt;
    var t1 = Math.max.apply(null, batches.map(function (b) { return b.endedAt; }));
    var span = Math.max(1000, t1 - t0);
    var bin = Math.max(1000, Math.ceil(span / 60 / 1000) * 1000);
    var n = Math.ceil(span / bin) + 1;
    return { t0: t0, bin: bin, n: n, xs: Array.from({ length: n }, function (_, i) { return (i * bin) / 1000; }) };
  }

  function throughput(bins) {
    var rows = new Array(bins ? bins.n : 0).fill(0), retries = new Array(bins ? bins.n : 0).fill(0);
    batches.forEach(function (b) {
      var i = Math.min(bins.n - 1, Math.max(0, Math.floor((b.endedAt - bins.t0) / bins.bin)));
      rows[i] += b.rowsWritten;
      retries[i] += b.retries;
    });
    lineChart('rows-per-second', 'Rows per second', 'rows of the batches committed in each ' + (bins ? bins.bin / 1000 : 1)
        + ' s interval since the run started', bins ? bins.xs : [], [{ label: 'rows/s', color: BLUE,
          values: rows.map(function (r) { return r / (bins.bin / 1000); }) }], 'seconds since start');
    lineChart('retries', 'Transient errors retried', 'retries of the batches committed in each interval', bins ? bins.xs : [],
        [{ label: 'retries', color: ORANGE, values: retries, bars: true }], 'seconds since start');
  }

  function partitions() {
    var parts = data.partitions || [];
    var span = {};
    batches.forEach(function (b) {
      var s = span[b.partition] || (span[b.partition] = { from: b.startedAt, to: b.endedAt });
      s.from = Math.min(s.from, b.startedAt);
      s.to = Math.max(s.to, b.endedAt);
    });
    var labels = parts.map(function (p) { return String(p.description || p.id); });
    barChart('rows-per-partition', 'Rows per partition', 'rows written (bars) and the source rows planned (points)', 'partition', labels, [
      { label: 'rows written', color: BLUE, values: parts.map(function (p) { return p.rowsWritten || 0; }) },
      { label: 'source rows', color: GREY, line: true, values: parts.map(function (p) { return p.sourceRows; }) }]);
    barChart('duration-per-partition', 'Duration per partition', 'seconds from the partition\'s first batch read to its last commit',
        'partition', labels, [{ label: 'seconds', color: GREEN, values: parts.map(function (p) {
          var s = span[p.id]; return s ? (s.to - s.from) / 1000 : 0; }) }]);
  }

  function readUnits() {
    var units = (data.units || []).filter(function (u) { return u.attempt === run.attempt; });
    var rows = units.map(function () { return 0; });
    var spans = units.map(function () { return null; });
    batches.forEach(function (b) {
      if (b.attempt !== run.attempt) { return; }
      for (var i = 0; i < units.length; i++) {
        var u = units[i];
        if (u.partition === b.partition && b.keyFirst >= u.keyFrom && b.keyFirst < u.keyTo) {
          rows[i] += b.rowsWritten;
          var s = spans[i] || (spans[i] = { from: b.startedAt, to: b.endedAt });
          s.from = Math.min(s.from, b.startedAt);
          s.to = Math.max(s.to, b.endedAt);
          return;
        }
      }
    });
    var labels = units.map(function (u) { return 'p' + u.partition + '/' + u.index; });
    var mean = rows.length ? rows.reduce(function (a, b) { return a + b; }, 0) / rows.length : 0;
    var max = rows.length ? Math.max.apply(null, rows) : 0;
    barChart('rows-per-unit', 'Rows per read unit (attempt ' + run.attempt + ')', 'skew: the largest unit holds '
        + (mean ? (max / mean).toFixed(2) : '-') + 'x the mean; points are the planner\'s estimates', 'unit', labels, [
      { label: 'rows written', color: BLUE, values: rows },
      { label: 'estimated', color: GREY, line: true, values: units.map(function (u) { return u.estimatedRows; }) }]);
    barChart('duration-per-unit', 'Duration per read unit (attempt ' + run.attempt + ')', 'seconds from the unit\'s first batch read '
        + 'to its last commit: a long bar is a straggler', 'unit', labels, [{ label: 'seconds', color: GREEN,
          values: spans.map(function (s) { return s ? (s.to - s.from) / 1000 : 0; }) }]);
  }

  function workers() {
    var byWorker = {};
    batches.forEach(function (b) { var w = b.worker || RECOVERED; byWorker[w] = (byWorker[w] || 0) + b.rowsWritten; });
    var names = Object.keys(byWorker).sort();
    barChart('rows-per-worker', 'Rows per worker', 'the process (host:pid) that wrote each batch: the launcher, or each Flink TaskManager',
        'worker', names, [{ label: 'rows', color: GREEN, values: names.map(function (n) { return byWorker[n]; }) }]);
  }

  function batchDurations() {
    var ds = batches.map(function (b) { return (b.endedAt - b.startedAt) / 1000; });
    var labels = [], counts = [];
    if (ds.length) {
      var max = Math.max.apply(null, ds), bins = Math.min(20, Math.max(1, ds.length));
      var width = Math.max(0.001, max / bins);
      for (var i = 0; i < bins; i++) { labels.push((i * width).toFixed(2) + ' s'); counts.push(0); }
      ds.forEach(function (d) { counts[Math.min(bins - 1, Math.floor(d / width))]++; });
    }
    barChart('batch-durations', 'Batch duration distribution', 'batches by seconds from read start to commit (bins from the value shown)',
        'from', labels, [{ label: 'batches', color: BLUE, values: counts }], 7);
  }

  function rejects() {
    var rs = data.rejects || [];
    if (rs.length === 0) {
      empty(section('rejects', 'Rejected rows by reason'), 'no rows were rejected');
      return;
    }
    barChart('rejects', 'Rejected rows by reason', 'step: reason', 'reason', rs.map(function (r) { return r.step + ': ' + r.reason; }),
        [{ label: 'rows', color: RED, values: rs.map(function (r) { return r.rows; }) }]);
  }

  function validations() {
    var vs = data.validations || [];
    var box = document.getElementById('validations');
    if (vs.length === 0) { empty(box, 'no validation recorded (yet)'); return; }
    table(box, ['partition', 'check', 'expected', 'actual', 'result', 'checked at'], vs.map(function (v) {
      return [v.partition < 0 ? 'all' : String(v.partition), v.check, fmt(v.expected), fmt(v.actual),
        { text: v.passed ? 'passed' : 'FAILED', cls: v.passed ? 'pass' : 'fail' }, when(v.checkedAt)];
    }), [false, false, true, true, false, false]);
  }

  function timeline() {
    var events = [{ at: run.startedAt, what: 'run started on ' + run.runner }];
    var attempts = {};
    batches.forEach(function (b) {
      var a = attempts[b.attempt] || (attempts[b.attempt] = { from: b.startedAt, to: b.endedAt, rows: 0, n: 0 });
      a.from = Math.min(a.from, b.startedAt); a.to = Math.max(a.to, b.endedAt); a.rows += b.rowsWritten; a.n++;
    });
    Object.keys(attempts).forEach(function (k) {
      var a = attempts[k];
      events.push({ at: a.from, what: 'attempt ' + k + ': first batch read' });
      events.push({ at: a.to, what: 'attempt ' + k + ': last batch committed (' + fmt(a.n) + ' batches, ' + fmt(a.rows) + ' rows)' });
    });
    var checked = (data.validations || []).map(function (v) { return v.checkedAt; });
    if (checked.length) { events.push({ at: Math.min.apply(null, checked), what: 'validation' }); }
    if (run.endedAt) { events.push({ at: run.endedAt, what: 'run ended: ' + run.status }); }
    events.sort(function (a, b) { return a.at - b.at; });
    table(document.getElementById('timeline'), ['time', 'since start', 'event'], events.map(function (e) {
      return [when(e.at), seconds(e.at - run.startedAt), e.what];
    }), [false, true, false]);
  }

  try {
    header();
    var bins = timeBins();
    throughput(bins);
    partitions();
    readUnits();
    workers();
    batchDurations();
    rejects();
    validations();
    timeline();
  } catch (e) {
    recordError(e && e.stack ? e.stack : e);
  }
  document.body.dataset.plots = String(drawn);
  document.body.dataset.errors = errors.join(' | ');
  document.body.dataset.ready = 'true';
})();
