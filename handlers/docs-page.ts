/**
 * The API reference page of GET /docs: plain HTML, one stylesheet and one script, all written
 * here, that read /openapi.json in the browser and draw every operation with its parameters,
 * body fields (types, limits, required), responses and a form to call it with the admin token.
 * Nothing comes from a package or another site, so the page works offline and installs nothing.
 */

export const DOCS_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cuiban 催办 · admin API</title>
<link rel="stylesheet" href="/docs/docs.css">
</head>
<body>
<header>
  <h1 id="title">cuiban 催办 · admin API</h1>
  <p id="description"></p>
  <p>Base URL <code id="servers"></code> · <a href="/openapi.json">openapi.json</a></p>
  <label>ADMIN_TOKEN <input id="token" type="password" autocomplete="off" placeholder="Bearer token, kept in this page only"></label>
</header>
<nav id="toc"></nav>
<main id="api"><p id="loading">Loading /openapi.json …</p></main>
<script src="/docs/docs.js"></script>
</body>
</html>
`;

export const DOCS_CSS = `
body { font: 14px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1f2329; background: #f5f6f7; }
header { background: #fff; padding: 16px 24px; border-bottom: 1px solid #dee0e3; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header input { width: 22em; margin-left: 6px; }
nav { padding: 8px 24px; }
nav a { margin-right: 12px; }
main { padding: 0 24px 48px; }
h2 { margin: 24px 0 8px; font-size: 17px; text-transform: capitalize; }
code, pre, .path { font-family: ui-monospace, Menlo, Consolas, monospace; }
code { background: #eff0f1; padding: 0 3px; border-radius: 3px; }
details.op { background: #fff; border: 1px solid #dee0e3; border-left: 4px solid #8f959e; border-radius: 4px; margin: 6px 0; }
details.op > summary { cursor: pointer; padding: 6px 10px; list-style: none; }
details.op > summary::-webkit-details-marker { display: none; }
.method { display: inline-block; min-width: 56px; font-weight: 600; text-transform: uppercase; }
.op-get { border-left-color: #3370ff !important; } .op-get .method { color: #3370ff; }
.op-post { border-left-color: #34c724 !important; } .op-post .method { color: #2ea121; }
.op-put { border-left-color: #ff8800 !important; } .op-put .method { color: #de7802; }
.op-patch { border-left-color: #7f3bf5 !important; } .op-patch .method { color: #7f3bf5; }
.op-delete { border-left-color: #f54a45 !important; } .op-delete .method { color: #f54a45; }
.path { font-weight: 600; margin-right: 10px; }
.summary { color: #646a73; }
.body { padding: 4px 14px 12px; border-top: 1px solid #eff0f1; }
table { border-collapse: collapse; margin: 4px 0 8px; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 3px 8px; border-bottom: 1px solid #eff0f1; }
th { font-weight: 600; color: #646a73; }
.field { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; }
.required { color: #f54a45; }
.muted { color: #8f959e; }
textarea { width: 100%; min-height: 6em; font-family: ui-monospace, Menlo, Consolas, monospace; }
pre.answer { background: #1f2329; color: #e6e6e6; padding: 8px; overflow: auto; max-height: 24em; }
`;

export const DOCS_JS = `'use strict';
(function () {
  var doc = null;
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  // Descriptions use \`code\` spans; everything else is shown as text.
  function prose(text) {
    var p = el('span', { class: 'prose' });
    String(text || '').split('\`').forEach(function (part, i) {
      p.appendChild(i % 2 === 1 ? el('code', { text: part }) : document.createTextNode(part));
    });
    return p;
  }
  function resolve(schema) {
    var seen = 0;
    while (schema && schema.$ref && seen++ < 20) {
      var path = schema.$ref.replace(/^#\\//, '').split('/');
      schema = path.reduce(function (at, key) { return at ? at[key] : undefined; }, doc);
    }
    return schema || {};
  }
  function typeOf(s) {
    s = resolve(s);
    if (s.const !== undefined) return JSON.stringify(s.const);
    if (s.enum) return s.enum.map(function (v) { return JSON.stringify(v); }).join(' | ');
    var variants = s.oneOf || s.anyOf;
    if (variants) return variants.map(typeOf).join(' | ');
    if (s.type === 'array') return typeOf(s.items || {}) + '[]';
    var t = Array.isArray(s.type) ? s.type.join(' | ') : s.type || 'any';
    return s.format ? t + ' (' + s.format + ')' : t;
  }
  function limits(s) {
    s = resolve(s);
    var out = [];
    if (s.minLength !== undefined) out.push('≥ ' + s.minLength + ' chars');
    if (s.maxLength !== undefined) out.push('≤ ' + s.maxLength + ' chars');
    if (s.minimum !== undefined) out.push('≥ ' + s.minimum);
    if (s.exclusiveMinimum !== undefined) out.push('> ' + s.exclusiveMinimum);
    if (s.maximum !== undefined) out.push('≤ ' + s.maximum);
    if (s.minItems !== undefined) out.push('≥ ' + s.minItems + ' items');
    if (s.maxItems !== undefined) out.push('≤ ' + s.maxItems + ' items');
    if (s.pattern) out.push('pattern ' + s.pattern);
    if (s.default !== undefined) out.push('default ' + JSON.stringify(s.default));
    return out.join(', ');
  }
  // One row per field, nested objects indented; oneOf variants each get their own table.
  function fieldRows(schema, prefix, rows, depth) {
    var s = resolve(schema);
    if (depth > 6) return rows;
    if (s.type === 'array' && s.items && resolve(s.items).properties) return fieldRows(s.items, prefix + '[]', rows, depth + 1);
    var props = s.properties || {};
    var required = s.required || [];
    Object.keys(props).forEach(function (name) {
      var p = resolve(props[name]);
      rows.push(el('tr', {}, [
        el('td', { class: 'field' }, [prefix + name, required.indexOf(name) >= 0 ? el('span', { class: 'required', text: ' *' }) : null]),
        el('td', { text: typeOf(p) }),
        el('td', { class: 'muted', text: limits(p) }),
        el('td', {}, [prose(p.description)]),
      ]));
      var inner = p.type === 'array' ? resolve(p.items || {}) : p;
      if (inner.properties) fieldRows(inner, prefix + name + (p.type === 'array' ? '[].' : '.'), rows, depth + 1);
    });
    return rows;
  }
  function fieldTable(schema) {
    return el('table', {}, [el('tr', {}, [el('th', { text: 'field' }), el('th', { text: 'type' }), el('th', { text: 'limits' }), el('th', { text: 'meaning' })])].concat(fieldRows(schema, '', [], 0)));
  }
  function schemaBlock(schema) {
    var s = resolve(schema);
    var variants = s.oneOf || s.anyOf;
    if (variants && variants.some(function (v) { return resolve(v).properties; })) {
      var box = el('div');
      variants.forEach(function (v, i) {
        var r = resolve(v);
        var kind = r.properties && Object.keys(r.properties).map(function (k) { return resolve(r.properties[k]); }).filter(function (p) { return p.const !== undefined || (p.enum && p.enum.length === 1); })[0];
        box.appendChild(el('p', { text: 'One of — ' + (kind ? JSON.stringify(kind.const !== undefined ? kind.const : kind.enum[0]) : 'variant ' + (i + 1)) + ':' }));
        box.appendChild(fieldTable(r));
      });
      return box;
    }
    if (s.properties || (s.type === 'array' && s.items)) return fieldTable(s);
    return el('p', { class: 'muted', text: typeOf(s) });
  }
  function tryForm(method, path, op) {
    var box = el('div', { class: 'try' }, [el('h4', { text: 'Try it' })]);
    var inputs = {};
    (op.parameters || []).map(resolve).forEach(function (p) {
      var input = el('input', { name: p.name, placeholder: p.in + (p.required ? ', required' : '') });
      inputs[p.name] = { input: input, where: p.in };
      box.appendChild(el('label', {}, [el('span', { class: 'field', text: p.name + ' ' }), input, ' ']));
    });
    var json = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
    var body = json ? el('textarea', { placeholder: 'JSON body' }) : null;
    if (body) { body.value = '{}'; box.appendChild(body); }
    var answer = el('pre', { class: 'answer', hidden: 'hidden' });
    var send = el('button', { type: 'button', text: 'Send' });
    send.addEventListener('click', function () {
      var url = (doc.servers && doc.servers[0] ? doc.servers[0].url : '') + path;
      var query = [];
      Object.keys(inputs).forEach(function (name) {
        var v = inputs[name].input.value;
        if (inputs[name].where === 'path') url = url.replace('{' + name + '}', encodeURIComponent(v));
        else if (inputs[name].where === 'query' && v !== '') query.push(encodeURIComponent(name) + '=' + encodeURIComponent(v));
      });
      if (query.length) url += '?' + query.join('&');
      var headers = { authorization: 'Bearer ' + document.getElementById('token').value };
      if (body) headers['content-type'] = 'application/json';
      answer.hidden = false;
      answer.textContent = method.toUpperCase() + ' ' + url + ' …';
      fetch(url, { method: method.toUpperCase(), headers: headers, body: body ? body.value : undefined })
        .then(function (res) { return res.text().then(function (t) { return res.status + ' ' + res.statusText + '\\n' + t; }); })
        .then(function (t) { answer.textContent = t; }, function (e) { answer.textContent = String(e); });
    });
    box.appendChild(send);
    box.appendChild(answer);
    return box;
  }
  function operation(method, path, op) {
    var body = el('div', { class: 'body' });
    if (op.description) body.appendChild(el('p', {}, [prose(op.description)]));
    var params = (op.parameters || []).map(resolve);
    if (params.length) {
      body.appendChild(el('h4', { text: 'Parameters' }));
      body.appendChild(el('table', {}, [el('tr', {}, [el('th', { text: 'name' }), el('th', { text: 'in' }), el('th', { text: 'type' }), el('th', { text: 'limits' }), el('th', { text: 'meaning' })])].concat(params.map(function (p) {
        return el('tr', {}, [
          el('td', { class: 'field' }, [p.name, p.required ? el('span', { class: 'required', text: ' *' }) : null]),
          el('td', { text: p.in }),
          el('td', { text: typeOf(p.schema || {}) }),
          el('td', { class: 'muted', text: limits(p.schema || {}) }),
          el('td', {}, [prose(p.description || (p.schema || {}).description)]),
        ]);
      }))));
    }
    var content = op.requestBody && op.requestBody.content;
    if (content) {
      Object.keys(content).forEach(function (type) {
        body.appendChild(el('h4', { text: 'Body (' + type + ')' }));
        body.appendChild(schemaBlock(content[type].schema || {}));
      });
    }
    body.appendChild(el('h4', { text: 'Responses' }));
    body.appendChild(el('table', {}, Object.keys(op.responses || {}).map(function (code) {
      return el('tr', {}, [el('td', { class: 'field', text: code }), el('td', {}, [prose(resolve(op.responses[code]).description)])]);
    })));
    body.appendChild(tryForm(method, path, op));
    return el('details', { class: 'op op-' + method }, [
      el('summary', {}, [el('span', { class: 'method', text: method }), el('span', { class: 'path', text: path }), el('span', { class: 'summary', text: op.summary || '' })]),
      body,
    ]);
  }
  function draw() {
    document.getElementById('title').textContent = doc.info.title;
    document.getElementById('description').appendChild(prose(doc.info.description));
    document.getElementById('servers').textContent = (doc.servers || []).map(function (s) { return s.url; }).join(', ');
    var groups = {};
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        if (['get', 'put', 'post', 'patch', 'delete'].indexOf(method) < 0) return;
        var op = doc.paths[path][method];
        var tag = (op.tags && op.tags[0]) || 'other';
        (groups[tag] = groups[tag] || []).push(operation(method, path, op));
      });
    });
    var main = document.getElementById('api');
    var toc = document.getElementById('toc');
    main.textContent = '';
    Object.keys(groups).forEach(function (tag) {
      var id = 'tag-' + tag.replace(/[^A-Za-z0-9_-]/g, '-');
      toc.appendChild(el('a', { href: '#' + id, text: tag }));
      main.appendChild(el('h2', { id: id, text: tag }));
      groups[tag].forEach(function (op) { main.appendChild(op); });
    });
  }
  fetch('/openapi.json')
    .then(function (res) { if (!res.ok) throw new Error('/openapi.json answered ' + res.status); return res.json(); })
    .then(function (d) { doc = d; draw(); })
    .catch(function (e) { document.getElementById('loading').textContent = 'Could not load /openapi.json: ' + e.message; });
})();
`;
