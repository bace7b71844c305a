/**
 * The playground page: plain HTML and a small script, no build step and nothing from a CDN. It
 * polls /playground/api/state and renders the Card JSON 2.0 subset cuiban sends (header colours,
 * markdown, column sets, buttons, hr, forms with inputs and selects, tables, charts as a note).
 */
export const PLAYGROUND_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>催办 · 体验台</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{margin:0;font:14px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;background:#f5f6f7;display:flex;height:100vh}
#side{width:230px;background:#fff;border-right:1px solid #e5e6eb;display:flex;flex-direction:column}
#side h1{font-size:16px;margin:12px}
#side .chat{padding:10px 12px;cursor:pointer;border-bottom:1px solid #f0f0f0}
#side .chat.active{background:#e8f0fe}
#side label{display:block;margin:8px 12px;font-size:12px;color:#646a73}
#side select,#side input,#side button{width:100%;box-sizing:border-box;margin-top:4px}
#main{flex:1;display:flex;flex-direction:column}
#title{padding:12px 16px;background:#fff;border-bottom:1px solid #e5e6eb;font-weight:600}
#messages{flex:1;overflow:auto;padding:16px}
.msg{margin-bottom:14px;max-width:560px}
.who{font-size:12px;color:#8f959e}
.text{background:#fff;border-radius:6px;padding:6px 10px;display:inline-block}
.mine .text{background:#cce0ff}
.card{background:#fff;border:1px solid #dee0e3;border-radius:8px;overflow:hidden}
.card .hd{padding:10px 12px;color:#fff;font-weight:600}
.card .bd{padding:10px 12px}
.hd.blue{background:#3370ff}.hd.red{background:#f54a45}.hd.orange{background:#ff8800}.hd.yellow{background:#f5a623}
.hd.green{background:#34c724}.hd.grey{background:#8f959e}.hd.turquoise{background:#2dbeab}.hd.default{background:#646a73}
.hd .sub{font-weight:400;font-size:12px;opacity:.9}
.cols{display:flex;flex-wrap:wrap;gap:8px}.col{flex:1}.cols.flow .col{flex:0 0 auto}
.md{margin:4px 0;white-space:pre-wrap}.notation{font-size:12px;color:#8f959e}
hr{border:none;border-top:1px solid #e5e6eb}
.card button{padding:4px 12px;border-radius:4px;border:1px solid #d0d3d6;background:#fff;cursor:pointer}
.card button.primary_filled{background:#3370ff;color:#fff;border-color:#3370ff}
.card button.danger{color:#f54a45;border-color:#f54a45}
form{border:1px dashed #dee0e3;padding:6px;margin:4px 0}
#composer{display:flex;padding:10px;background:#fff;border-top:1px solid #e5e6eb}
#composer input{flex:1;padding:6px}
#toast{position:fixed;top:12px;left:50%;transform:translateX(-50%);background:#1f2329;color:#fff;padding:6px 14px;border-radius:4px;display:none}
</style></head><body>
<div id="side"><h1>催办 · 体验台</h1>
<label>我是<select id="as"></select></label>
<div id="chats"></div>
<label>时间<input id="at" type="datetime-local"></label>
<label>任务<select id="job"></select></label>
<label><button id="run">按此时间运行</button></label>
<label id="runResult"></label>
</div>
<div id="main"><div id="title"></div><div id="messages"></div>
<form id="composer"><input id="text" placeholder="例如：@催办 办结 D-1" autocomplete="off"><button>发送</button></form></div>
<div id="toast"></div>
<script>
var state = null, current = null, lastRender = '';
var $ = function (id) { return document.getElementById(id); };
function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]; }); }
function mdHtml(s) {
  return esc(s).replace(/\\*\\*(.+?)\\*\\*/g, '<b>$1</b>')
    .replace(/&lt;font color=['"]?(\\w+)['"]?&gt;(.*?)&lt;\\/font&gt;/g, '<span style="color:$1">$2</span>')
    .replace(/\\[([^\\]]+)\\]\\(([^)]+)\\)/g, '<a href="$2" target="_blank">$1</a>');
}
function textOf(t) { return t ? (t.content || '') : ''; }
function toast(s) { var t = $('toast'); t.textContent = s; t.style.display = 'block'; setTimeout(function () { t.style.display = 'none'; }, 2500); }
function renderElements(els, ctx) { return (els || []).map(function (e) { return renderElement(e, ctx); }).join(''); }
function renderElement(e, ctx) {
  switch (e.tag) {
    case 'markdown': return '<div class="md ' + (e.text_size === 'notation' ? 'notation' : '') + '">' + mdHtml(e.content || '') + '</div>';
    case 'div': return '<div class="md">' + mdHtml(textOf(e.text)) + '</div>';
    case 'hr': return '<hr>';
    case 'column_set': return '<div class="cols ' + (e.flex_mode === 'flow' ? 'flow' : '') + '">' + (e.columns || []).map(function (c) { return '<div class="col">' + renderElements(c.elements, ctx) + '</div>'; }).join('') + '</div>';
    case 'button':
      var i = ctx.actions.push(e) - 1;
      return '<button type="button" class="' + esc(e.type || 'default') + '" data-msg="' + esc(ctx.messageId) + '" data-action="' + i + '">' + esc(textOf(e.text)) + '</button> ';
    case 'form': return '<form data-form="' + esc(e.name || '') + '">' + renderElements(e.elements, ctx) + '</form>';
    case 'input': return '<div>' + esc(textOf(e.label)) + ' <input name="' + esc(e.name) + '" placeholder="' + esc(textOf(e.placeholder)) + '"></div>';
    case 'select_static': return '<div><select name="' + esc(e.name) + '">' + (e.options || []).map(function (o) { return '<option value="' + esc(o.value) + '">' + esc(textOf(o.text)) + '</option>'; }).join('') + '</select></div>';
    case 'date_picker': return '<div><input type="date" name="' + esc(e.name) + '"></div>';
    case 'table': return '<table>' + (e.rows || []).map(function (r) { return '<tr>' + (e.columns || []).map(function (c) { return '<td>' + esc(r[c.name] == null ? '' : r[c.name]) + '</td>'; }).join('') + '</tr>'; }).join('') + '</table>';
    case 'chart': return '<div class="notation">[图表]</div>';
    default: return '<div class="notation">[' + esc(e.tag) + ']</div>';
  }
}
var actionsByMessage = {};
function renderCard(m) {
  var c = m.body || {}, h = c.header || {}, ctx = { messageId: m.messageId, actions: [] };
  var html = '<div class="card" data-card="' + esc(m.messageId) + '">';
  if (h.title) html += '<div class="hd ' + esc(h.template || 'default') + '">' + esc(textOf(h.title)) + (h.subtitle ? '<div class="sub">' + esc(textOf(h.subtitle)) + '</div>' : '') + '</div>';
  html += '<div class="bd">' + renderElements((c.body || {}).elements || c.elements, ctx) + '</div></div>';
  actionsByMessage[m.messageId] = ctx.actions;
  return html;
}
function personName(id) {
  if (id === 'bot') return '催办';
  var p = (state.people || []).find(function (x) { return x.openId === id; });
  return p ? p.name : id;
}
function render() {
  if (!state) return;
  var as = $('as').value;
  var key = JSON.stringify([state.messages, current, as, state.chats]);
  if (key === lastRender) return;
  lastRender = key;
  $('chats').innerHTML = state.chats.map(function (c) {
    return '<div class="chat ' + (c.chatId === current ? 'active' : '') + '" data-chat="' + esc(c.chatId) + '">' + (c.type === 'group' ? '👥 ' : '💬 与催办：') + esc(c.name) + '</div>';
  }).join('');
  var chat = state.chats.find(function (c) { return c.chatId === current; });
  $('title').textContent = chat ? (chat.type === 'group' ? chat.name : '催办 · ' + chat.name + '的私聊') : '';
  $('messages').innerHTML = state.messages.filter(function (m) { return m.chatId === current; }).map(function (m) {
    var body = m.msgType === 'interactive' ? renderCard(m) : '<div class="text">' + esc((m.body && m.body.text) || '') + '</div>';
    return '<div class="msg ' + (m.sender === as ? 'mine' : '') + '" data-message="' + esc(m.messageId) + '"><div class="who">' + esc(personName(m.sender)) + '</div>' + body + '</div>';
  }).join('');
}
function api(path, body) {
  return fetch('/playground/api/' + path, { method: body ? 'POST' : 'GET', headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined })
    .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error((j.error && j.error.message) || r.status); return j; }); });
}
function refresh() {
  return api('state').then(function (s) {
    var first = !state;
    state = s;
    if (first) {
      $('as').innerHTML = s.people.map(function (p) { return '<option value="' + esc(p.openId) + '">' + esc(p.name) + '（' + esc(p.roles.join('、')) + '）</option>'; }).join('');
      $('job').innerHTML = s.jobs.map(function (j) { return '<option value="' + esc(j.name) + '">' + esc(j.name) + ' · ' + esc(j.description) + '</option>'; }).join('');
      var dm = s.chats.find(function (c) { return c.type === 'p2p'; });
      current = (dm || s.chats[0] || {}).chatId;
    }
    render();
  }).catch(function () {});
}
$('chats').addEventListener('click', function (ev) {
  var el = ev.target.closest('[data-chat]');
  if (!el) return;
  current = el.getAttribute('data-chat');
  var p = state.people.find(function (x) { return 'oc_dm_' + x.openId === current; });
  if (p) $('as').value = p.openId;
  lastRender = ''; render();
});
$('as').addEventListener('change', function () { lastRender = ''; render(); });
$('messages').addEventListener('click', function (ev) {
  var el = ev.target.closest('button[data-action]');
  if (!el) return;
  var messageId = el.getAttribute('data-msg'), action = actionsByMessage[messageId][Number(el.getAttribute('data-action'))];
  var cb = (action.behaviors || []).find(function (b) { return b.type === 'callback'; });
  if (!cb) return;
  if (action.confirm && !confirm(textOf(action.confirm.text))) return;
  var body = { as: $('as').value, messageId: messageId, value: cb.value };
  var form = el.closest('form');
  if (form) { var fv = {}; Array.prototype.forEach.call(form.elements, function (f) { if (f.name) fv[f.name] = f.value; }); body.formValue = fv; }
  api('click', body).then(function (r) { if (r.toast && r.toast.content) toast(r.toast.content); refresh(); }).catch(function (e) { toast(e.message); });
});
$('composer').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var text = $('text').value.trim();
  if (!text) return;
  $('text').value = '';
  api('say', { as: $('as').value, chatId: current, text: text }).then(refresh).catch(function (e) { toast(e.message); });
});
(function () { var d = new Date(Date.now() - new Date().getTimezoneOffset() * 60000); $('at').value = d.toISOString().slice(0, 16); })();
$('run').addEventListener('click', function () {
  var local = new Date($('at').value);
  var off = -local.getTimezoneOffset(), sign = off >= 0 ? '+' : '-', a = Math.abs(off);
  var at = $('at').value + ':00' + sign + String(Math.floor(a / 60)).padStart(2, '0') + ':' + String(a % 60).padStart(2, '0');
  api('jobs/' + $('job').value + '/run', { at: at }).then(function (r) {
    $('runResult').textContent = r.alreadyRun ? '该时段已运行过' : '已运行：发送 ' + r.sent + '，跳过 ' + r.skipped;
    refresh();
  }).catch(function (e) { toast(e.message); });
});
refresh();
setInterval(refresh, 1000);
</script></body></html>`;
