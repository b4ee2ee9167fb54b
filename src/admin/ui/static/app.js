// The admin single page: hash routes (#/patients, #/patient/<id>, #/document/<uuid>, #/submission-set/<uuid>,
// #/folder/<uuid>, #/consistency, #/activity, #/overview), every view built with DOM calls (never innerHTML
// with data), every call to /admin/api with the session cookie; POSTs carry the CSRF token.
'use strict';
(function () {
  const view = document.getElementById('view');
  let csrfToken = '';

  // ---- helpers -------------------------------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'class') e.className = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  const enc = encodeURIComponent;
  const pill = (s) => h('span', { class: `pill ${s}` }, s);
  const codeText = (c) => (c ? (c.display ? `${c.display} — ${c.code} (${c.scheme})` : `${c.code} (${c.scheme})`) : '');
  const codeCell = (c) => (c ? h('span', { title: `${c.code} / ${c.scheme}` }, c.display || c.code) : '');
  const isoText = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '');
  const timeText = (t) => (t ? (t.iso ? isoText(t.iso) : t.value) : '');
  const bytes = (n) => (n === undefined || n === null ? '' : n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

  async function api(path, options = {}) {
    const init = { credentials: 'same-origin', headers: {}, ...options };
    if (init.method && init.method !== 'GET') init.headers['x-csrf-token'] = csrfToken;
    const res = await fetch(`/admin/api${path}`, init);
    if (res.status === 401) {
      location.assign('/admin/login');
      throw new Error('not logged in');
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message || `${res.status}`);
    return body;
  }

  function show(...nodes) {
    view.replaceChildren(...nodes.flat(2).filter((n) => n !== '' && n !== undefined && n !== null));
  }
  function fail(e) {
    show(h('p', { class: 'error', role: 'alert' }, `Error: ${e.message}`));
  }
  function table(headers, rows, empty = 'Nothing found.') {
    if (rows.length === 0) return h('p', { class: 'muted' }, empty);
    return h('table', {}, h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))), h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
  }
  function meta(pairs) {
    return h('dl', { class: 'meta' }, pairs.filter(([, v]) => v !== undefined && v !== '' && v !== null).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  }
  const docLink = (d) => h('a', { href: `#/document/${enc(d.entryUuid)}`, class: 'doc-link' }, d.title || d.uniqueId);

  // ---- views ---------------------------------------------------------------------------------------------
  async function patientsView(params) {
    const q = params.get('q') || '';
    const input = h('input', { id: 'patient-query', name: 'q', value: q, placeholder: 'CPR or patient id prefix', size: 32 });
    const form = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); location.hash = `#/patients?q=${enc(input.value.trim())}`; } },
      h('label', {}, 'Patient id / CPR', input), h('button', { type: 'submit', id: 'patient-search' }, 'Search'));
    show(h('h1', {}, 'Patients'), form, h('p', { class: 'muted' }, 'Loading…'));
    const r = await api(`/patients?q=${enc(q)}&limit=100`);
    show(h('h1', {}, 'Patients'), form, table(['Patient id', 'Assigning authority', 'Name', 'Source', 'Updated', 'State'],
      r.patients.map((p) => [
        h('a', { href: `#/patient/${enc(p.patientId)}`, class: 'patient-link code' }, p.cx ? p.cx.id : p.patientId),
        h('span', { class: 'code' }, p.cx ? p.cx.assigningAuthority : ''),
        p.demographics ? [p.demographics.givenName, p.demographics.familyName].filter(Boolean).join(' ') : '',
        p.source, isoText(p.updatedAt), p.mergedInto ? `merged into ${p.mergedInto}` : 'active',
      ]), 'No patient matches.'), r.more ? h('p', { class: 'muted' }, 'More patients match: refine the search.') : '');
    input.focus();
  }

  async function patientView(patientId, params) {
    const limit = 25;
    const offset = Number(params.get('offset') || 0);
    const field = (name, label, attrs = {}) => h('label', {}, label, h('input', { name, value: params.get(name) || '', size: 12, ...attrs }));
    const status = h('select', { name: 'status' }, ['all', 'approved', 'deprecated', 'submitted'].map((s) => h('option', { value: s, selected: (params.get('status') || 'all') === s }, s)));
    const form = h('form', { class: 'filters', id: 'document-filters', onsubmit: (e) => {
      e.preventDefault();
      const p = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) p.set(k, v);
      location.hash = `#/patient/${enc(patientId)}?${p}`;
    } }, h('label', {}, 'Status', status), field('classCode', 'Class code'), field('typeCode', 'Type code'), field('formatCode', 'Format code'),
      field('from', 'Created from', { type: 'date' }), field('to', 'Created before', { type: 'date' }),
      h('label', {}, 'All versions', h('input', { type: 'checkbox', name: 'allVersions', value: 'true', checked: params.get('allVersions') === 'true' })),
      h('button', { type: 'submit' }, 'Filter'));
    const q = new URLSearchParams(params);
    q.set('limit', String(limit));
    q.set('offset', String(offset));
    const [patient, docs, sets, folders] = await Promise.all([
      api(`/patients/${enc(patientId)}`).catch(() => null),
      api(`/patients/${enc(patientId)}/documents?${q}`),
      api(`/patients/${enc(patientId)}/submission-sets`),
      api(`/patients/${enc(patientId)}/folders`),
    ]);
    const page = (o) => { const p = new URLSearchParams(params); p.set('offset', String(o)); return `#/patient/${enc(patientId)}?${p}`; };
    show(
      h('h1', {}, 'Patient ', h('span', { class: 'code' }, patientId)),
      patient && patient.demographics ? h('p', { class: 'muted' }, Object.entries(patient.demographics).map(([k, v]) => `${k}: ${v}`).join(' · ')) : '',
      h('h2', {}, `Documents (${docs.total})`), form,
      table(['Title', 'Status', 'Version', 'Class', 'Type', 'Format', 'Author', 'Created', 'Service start', 'Size'],
        docs.documents.map((d) => [docLink(d), pill(d.status), d.version, codeCell(d.classCode), codeCell(d.typeCode), codeCell(d.formatCode), d.authors.join(', '), timeText(d.creationTime), timeText(d.serviceStartTime), bytes(d.size)]),
        'No documents match the filters.'),
      h('div', { class: 'pager' }, offset > 0 ? h('a', { href: page(Math.max(0, offset - limit)) }, '← previous') : '',
        h('span', { class: 'muted' }, docs.total ? `${offset + 1}–${Math.min(offset + limit, docs.total)} of ${docs.total}` : ''),
        offset + limit < docs.total ? h('a', { href: page(offset + limit) }, 'next →') : ''),
      h('div', { class: 'grid2' },
        h('div', {}, h('h2', {}, 'Submission sets'), table(['Title', 'Submitted', 'Source', 'Status'], sets.submissionSets.map((s) => [
          h('a', { href: `#/submission-set/${enc(s.entryUuid)}` }, s.title || s.uniqueId), timeText(s.submissionTime), h('span', { class: 'code' }, s.sourceId), pill(s.status)]))),
        h('div', {}, h('h2', {}, 'Folders'), table(['Title', 'Codes', 'Last update', 'Status'], folders.folders.map((f) => [
          h('a', { href: `#/folder/${enc(f.entryUuid)}` }, f.title || f.uniqueId), f.codeList.map((c) => c.display || c.code).join(', '), timeText(f.lastUpdateTime), pill(f.status)])))),
    );
  }

  function authorsBlock(authors) {
    return authors.map((a, i) => h('div', { class: 'card' }, h('strong', {}, `Author ${i + 1}`), meta([
      ['Person', a.person ? `${a.person.name || ''}${a.person.id ? ` (id ${a.person.id}${a.person.assigningAuthority ? ` @ ${a.person.assigningAuthority}` : ''})` : ''}` : ''],
      ['Institutions', a.institutions.map((x) => `${x.name}${x.id ? ` (${x.id})` : ''}`).join('; ')],
      ['Roles', a.roles.join('; ')],
      ['Specialties', a.specialties.join('; ')],
      ['Telecom', a.telecoms.map((t) => t.email || t.phone || t.value).join('; ')],
    ])));
  }

  async function documentView(entryUuid) {
    const base = `/documents/${enc(entryUuid)}`;
    const [d, versions, graph] = await Promise.all([api(base), api(`${base}/versions`), api(`${base}/associations`)]);
    const preview = h('div', { id: 'preview' }, h('p', { class: 'muted' }, 'Preview not loaded.'));
    const loadPreview = async () => {
      preview.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
      try {
        const p = await api(`${base}/preview`);
        if (p.kind === 'pdf') preview.replaceChildren(h('iframe', { class: 'preview', src: `/admin/api${base}/content?disposition=inline`, title: 'PDF preview' }));
        else if (p.kind === 'none') preview.replaceChildren(h('p', { class: 'muted' }, `No preview for ${p.mimeType}; use Download.`));
        else preview.replaceChildren(h('pre', { class: 'preview', id: 'preview-text' }, p.text), p.truncated ? h('p', { class: 'muted' }, `Showing the first 256 KB of ${bytes(p.size)}.`) : '');
      } catch (e) {
        preview.replaceChildren(h('p', { class: 'error' }, e.message));
      }
    };
    show(
      h('h1', {}, d.title || d.uniqueId, ' ', pill(d.status)),
      h('p', {}, h('a', { href: `#/patient/${enc(d.patientId.value)}` }, `← patient ${d.patientId.id}`)),
      h('div', { class: 'card' }, meta([
        ['entryUUID', h('span', { class: 'code' }, d.entryUuid)], ['uniqueId', h('span', { class: 'code' }, d.uniqueId)],
        ['logicalID / version', h('span', { class: 'code' }, `${d.logicalId} / ${d.version}`)], ['Type', d.objectType],
        ['Patient', `${d.patientId.id} (authority ${d.patientId.assigningAuthority})`],
        ['Source patient', d.sourcePatientId ? `${d.sourcePatientId.id} (authority ${d.sourcePatientId.assigningAuthority})` : ''],
        ['Source patient info', Object.entries(d.sourcePatientInfo).map(([k, v]) => `${k}: ${v}`).join(' · ')],
        ['Class code', codeText(d.classCode)], ['Type code', codeText(d.typeCode)], ['Format code', codeText(d.formatCode)],
        ['Facility type', codeText(d.healthcareFacilityTypeCode)], ['Practice setting', codeText(d.practiceSettingCode)],
        ['Confidentiality', d.confidentialityCodes.map(codeText).join('; ')], ['Event codes', d.eventCodes.map(codeText).join('; ')],
        ['Created', timeText(d.creationTime)], ['Service', [timeText(d.serviceStartTime), timeText(d.serviceStopTime)].filter(Boolean).join(' – ')],
        ['MIME type', d.mimeType], ['Language', d.languageCode], ['Size', bytes(d.size)],
        ['Stored size', d.storedHere ? (d.storedSize === undefined ? 'MISSING in the repository' : bytes(d.storedSize)) : 'in another repository'],
        ['Hash (SHA-1)', h('span', { class: 'code' }, d.hash || '')], ['Repository', h('span', { class: 'code' }, d.repositoryUniqueId || '')],
        ['Legal authenticator', d.legalAuthenticator ? d.legalAuthenticator.name || d.legalAuthenticator.id : ''],
        ['Comments', d.comments], ['Reference ids', (d.referenceIds || []).map((r) => r.value).join('; ')],
        ['Extra slots', d.extraSlots.map((s) => `${s.name}=${s.values.join('|')}`).join('; ')],
      ])),
      h('h2', {}, 'Authors'), authorsBlock(d.authors),
      h('h2', {}, 'Associations'),
      window.drawAssociationGraph(graph, (n) => {
        if (n.kind === 'DocumentEntry') location.hash = `#/document/${enc(n.id)}`;
        else if (n.kind === 'SubmissionSet') location.hash = `#/submission-set/${enc(n.id)}`;
        else if (n.kind === 'Folder') location.hash = `#/folder/${enc(n.id)}`;
      }),
      table(['Type', 'From', 'To'], graph.edges.filter((e) => e.type !== 'version').map((e) => {
        const name = (id) => { const n = graph.nodes.find((x) => x.id === id); return n ? `${n.kind}: ${n.label}` : id; };
        return [e.type, name(e.source), name(e.target)];
      }), 'No associations.'),
      h('h2', {}, 'Versions'),
      table(['Version', 'Status', 'entryUUID', 'Created'], versions.versions.map((v) => [v.version, pill(v.status), h('a', { href: `#/document/${enc(v.entryUuid)}`, class: 'code' }, v.entryUuid), timeText(v.creationTime)])),
      h('h2', {}, 'Document'),
      h('p', {}, h('button', { type: 'button', id: 'preview-button', onclick: loadPreview }, 'Preview'), ' ',
        h('a', { href: `/admin/api${base}/content`, id: 'download-link', download: '' }, 'Download')),
      preview,
    );
  }

  async function submissionSetView(entryUuid) {
    const r = await api(`/submission-sets/${enc(entryUuid)}`);
    const s = r.submissionSet;
    show(h('h1', {}, 'Submission set ', pill(s.status)), h('div', { class: 'card' }, meta([
      ['Title', s.title], ['entryUUID', h('span', { class: 'code' }, s.entryUuid)], ['uniqueId', h('span', { class: 'code' }, s.uniqueId)],
      ['Source id', h('span', { class: 'code' }, s.sourceId)], ['Patient', s.patientId ? s.patientId.id : ''], ['Submitted', timeText(s.submissionTime)],
      ['Content type', codeText(s.contentTypeCode)], ['Intended recipients', s.intendedRecipients.join('; ')], ['Comments', s.comments],
    ])), h('h2', {}, 'Authors'), authorsBlock(s.authors),
    h('h2', {}, 'Documents'), table(['Title', 'Status', 'Class', 'Created'], r.documents.map((d) => [docLink(d), pill(d.status), codeCell(d.classCode), timeText(d.creationTime)])),
    h('h2', {}, 'Folders'), table(['Title', 'Status'], r.folders.map((f) => [h('a', { href: `#/folder/${enc(f.entryUuid)}` }, f.title || f.uniqueId), pill(f.status)])),
    h('h2', {}, 'Associations submitted'), table(['Type', 'Source', 'Target'], r.associations.map((a) => [a.type, h('span', { class: 'code' }, a.source), h('span', { class: 'code' }, a.target)])));
  }

  async function folderView(entryUuid) {
    const r = await api(`/folders/${enc(entryUuid)}`);
    const f = r.folder;
    show(h('h1', {}, 'Folder ', f.title || f.uniqueId, ' ', pill(f.status)), h('div', { class: 'card' }, meta([
      ['entryUUID', h('span', { class: 'code' }, f.entryUuid)], ['uniqueId', h('span', { class: 'code' }, f.uniqueId)], ['Patient', f.patientId ? f.patientId.id : ''],
      ['Codes', f.codeList.map(codeText).join('; ')], ['Last update', timeText(f.lastUpdateTime)], ['Comments', f.comments],
    ])), h('h2', {}, 'Documents'), table(['Title', 'Status', 'Class', 'Created'], r.documents.map((d) => [docLink(d), pill(d.status), codeCell(d.classCode), timeText(d.creationTime)])));
  }

  let polling;
  let afterJob = () => undefined;
  async function consistencyView() {
    const bar = h('div', { id: 'progress-bar' });
    const status = h('p', { id: 'check-status', class: 'muted' }, 'No check running.');
    const results = h('div', { id: 'check-results' });
    const start = h('button', { type: 'button', id: 'start-check', onclick: async () => {
      start.disabled = true;
      try { follow((await api('/consistency-checks', { method: 'POST' })).id); } catch (e) { status.textContent = e.message; start.disabled = false; }
    } }, 'Run consistency check');
    const follow = (id) => {
      clearTimeout(polling);
      const tick = async () => {
        if (!document.body.contains(bar)) return;
        const job = await api(`/consistency-checks/${enc(id)}`);
        const pct = job.progress.total ? Math.round((100 * job.progress.done) / job.progress.total) : 0;
        bar.style.width = `${job.state === 'done' ? 100 : pct}%`;
        status.replaceChildren(pill(job.state), ` ${job.phase} — ${job.progress.done}/${job.progress.total}`, job.error ? ` — ${job.error}` : '');
        if (job.state === 'running') { polling = setTimeout(tick, 300); return; }
        start.disabled = false;
        afterJob();
        const s = job.summary;
        results.replaceChildren(h('div', { class: 'card' }, meta([
          ['Entries checked', s.entries], ['Stored objects', s.storedObjects], ['Missing bytes', s.missingBytes], ['Size mismatches', s.sizeMismatch],
          ['Hash mismatches', s.hashMismatch], ['Orphan bytes (no entry)', s.orphanBytes], ['Started', `${isoText(job.startedAt)} by ${job.startedBy}`], ['Finished', isoText(job.finishedAt)],
        ])), table(['Finding', 'Document uniqueId', 'Entry', 'Expected', 'Actual'], job.findings.map((f) => [
          f.kind, h('span', { class: 'code' }, f.uniqueId), f.entryUuid ? h('a', { href: `#/document/${enc(f.entryUuid)}` }, 'open') : '', h('span', { class: 'code' }, f.expected || ''), h('span', { class: 'code' }, f.actual || '')]),
        'Registry and repository agree: no findings.'));
      };
      tick().catch(fail);
    };
    const earlier = h('div', { id: 'earlier-checks' });
    const loadEarlier = async () => {
      const jobs = await api('/consistency-checks');
      earlier.replaceChildren(table(['Started', 'By', 'State', 'Findings'], jobs.jobs.map((j) => [
        h('a', { href: '#/consistency', onclick: (e) => { e.preventDefault(); follow(j.id); } }, isoText(j.startedAt)), j.startedBy, pill(j.state),
        String(j.summary.missingBytes + j.summary.sizeMismatch + j.summary.hashMismatch + j.summary.orphanBytes)]), 'No checks since start-up.'));
      return jobs;
    };
    afterJob = () => loadEarlier().catch(() => undefined);
    const jobs = await loadEarlier();
    show(h('h1', {}, 'Consistency check'), h('p', { class: 'muted' }, 'Compares the repository’s stored bytes with the registry metadata: missing bytes, size and SHA-1 mismatches, stored objects without an entry.'),
      start, h('div', { class: 'progress' }, bar), status, results, h('h2', {}, 'Checks since start-up'), earlier);
    if (jobs.jobs[0] && jobs.jobs[0].state === 'running') follow(jobs.jobs[0].id);
  }

  async function activityView() {
    const [tx, errs] = await Promise.all([api('/activity/transactions?limit=200').catch((e) => ({ error: e.message })), api('/activity/errors').catch((e) => ({ error: e.message }))]);
    const cpr = h('input', { id: 'citizen-cpr', placeholder: 'CPR (10 digits)', size: 14, pattern: '\\d{6}-?\\d{4}' });
    const citizen = h('div', { id: 'citizen-results' });
    const lookup = h('form', { class: 'filters', id: 'citizen', onsubmit: async (e) => {
      e.preventDefault();
      const c = cpr.value.trim();
      const [m, k] = await Promise.all([api(`/citizens/${enc(c)}/minlog`).catch((x) => ({ error: x.message })), api(`/citizens/${enc(c)}/consents`).catch((x) => ({ error: x.message }))]);
      citizen.replaceChildren(
        h('h2', {}, 'MinLog registrations'), m.error ? h('p', { class: 'muted' }, m.error) : table(['Time', 'User', 'Organisation', 'Activity', 'Addition', 'System'], m.registrations.map((r) => [isoText(r.dateTime || r.fromDateTime || r.registeredAt), r.user ? r.user.name || r.user.id : '', r.organisation ? r.organisation.name || r.organisation.id : '', r.activity || '', r.addition || '', r.systemName || '']), 'No MinLog registrations for this citizen.'),
        h('h2', {}, 'Consents (Min Spærring)'), k.error ? h('p', { class: 'muted' }, k.error) : table(['Type', 'Who', 'What', 'Valid from', 'Valid to', 'Created', 'Revoked'], k.consents.map((x) => [x.consentType, x.who ? (x.who.kind === 'organisation' ? `SOR ${x.who.sorId}` : `professional ${x.who.cpr || ''} ${x.who.authorizationCode || ''}`) : 'everyone', x.what ? Object.entries(x.what).map(([w, v]) => `${w}: ${v.join(', ')}`).join('; ') : 'all data', isoText(x.validFrom), isoText(x.validTo), isoText(x.creationTimestamp), isoText(x.revokedAt)]), 'No consent registrations for this citizen.'),
      );
    } }, h('label', {}, 'Citizen', cpr), h('button', { type: 'submit' }, 'Show MinLog and consents'));
    show(h('h1', {}, 'Activity'),
      h('h2', {}, 'Errors by code'), errs.error ? h('p', { class: 'muted' }, errs.error) : table(['Code', 'Count', 'Last seen', 'Last transaction'], errs.errors.map((e) => [h('span', { class: 'code' }, e.code), e.count, isoText(e.lastSeen), e.lastTransaction || ''])),
      h('h2', {}, 'Recent transactions'), tx.error ? h('p', { class: 'muted' }, tx.error) : table(['Time', 'Transaction', 'Outcome', 'Caller', 'Endpoint', 'HTTP', 'ms', 'Errors'], tx.transactions.map((t) => [isoText(t.time), t.transaction || '?', pill(t.outcome), t.caller || '', t.path || '', t.httpStatus, t.ms, t.errorCodes.join(', ')]), 'No transactions since start-up.'),
      h('h2', {}, 'Citizen'), lookup, citizen);
  }

  async function overviewView() {
    const o = await api('/overview');
    show(h('h1', {}, 'Overview'), h('div', { class: 'card' }, meta([
      ...Object.entries(o.counts).map(([k, v]) => [`${k}s`, v]), ['Repository uniqueId', h('span', { class: 'code' }, o.repositoryUniqueId)],
      ...Object.entries(o.adapters).map(([k, v]) => [k, h('span', { class: 'code' }, v)]), ['MinLog registrations', o.minlogRegistrations],
    ])), h('h2', {}, 'Queues'), table(['Queue', 'Waiting', 'Active', 'Failed', 'Completed'], o.queues.map((q) => [q.name, q.waiting, q.active, q.failed, q.completed]), 'No queues wired to the admin view.'),
    h('h2', {}, 'Optional views'), table(['View', 'Available'], Object.entries(o.available).map(([k, v]) => [k, v ? 'yes' : 'no (not wired in this hub)'])));
  }

  // ---- routing -------------------------------------------------------------------------------------------
  async function route() {
    clearTimeout(polling);
    const hash = location.hash.replace(/^#\/?/, '') || 'patients';
    const [pathPart, queryPart] = hash.split('?');
    const params = new URLSearchParams(queryPart || '');
    const [name, ...rest] = pathPart.split('/');
    const arg = decodeURIComponent(rest.join('/'));
    for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === name || (name !== 'consistency' && name !== 'activity' && name !== 'overview' && a.dataset.nav === 'patients'));
    try {
      if (name === 'patient') await patientView(arg, params);
      else if (name === 'document') await documentView(arg);
      else if (name === 'submission-set') await submissionSetView(arg);
      else if (name === 'folder') await folderView(arg);
      else if (name === 'consistency') await consistencyView();
      else if (name === 'activity') await activityView();
      else if (name === 'overview') await overviewView();
      else await patientsView(params);
    } catch (e) {
      fail(e);
    }
  }

  document.getElementById('logout-button').addEventListener('click', async () => {
    await api('/logout', { method: 'POST' }).catch(() => undefined);
    location.assign('/admin/login');
  });
  window.addEventListener('hashchange', route);
  api('/session').then((s) => {
    csrfToken = s.csrfToken;
    document.getElementById('user-name').textContent = s.user;
    return route();
  }).catch(fail);
})();
