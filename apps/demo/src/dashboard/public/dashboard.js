// The dashboard's only script: no build step. It follows the server's snapshot stream (SSE), draws the chart
// with uPlot (loaded by the page as a classic script) and calls the demo's small JSON API for the controls.

const $ = (id) => document.getElementById(id);
const number = (value) => Number(value).toLocaleString('en-US');
const clock = (ms) => new Date(ms).toLocaleTimeString();
const MAX_POINTS = 1200;
const RECENT_EVERY_MS = 2000;
const ACCOUNTS_EVERY_MS = 1000;

// x, backlog, rate; and beside them (not a series) whether the network was up at each point.
const chartData = [[], [], []];
const onlineAt = [];
let chart;
let lastDead = -1;
let recording = true;
let lastRecentAt = 0;
let lastAccountsAt = 0;
let amending;

async function api(path, body) {
  const init =
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message ?? `HTTP ${response.status}`);
  return data;
}

function say(message) {
  $('control-message').textContent = message;
}

/** Shade the stretches where the network was down, behind the lines. */
function drawOffline(u) {
  const xs = u.data[0];
  const { ctx } = u;
  const { top, height } = u.bbox;
  ctx.save();
  ctx.fillStyle = 'rgba(207, 34, 46, 0.10)';
  let start;
  for (let index = 0; index <= xs.length; index += 1) {
    const down = index < xs.length && onlineAt[index] === false;
    if (down && start === undefined) start = index;
    if (!down && start !== undefined) {
      const left = u.valToPos(xs[start], 'x', true);
      const right = u.valToPos(xs[Math.min(index, xs.length - 1)], 'x', true);
      ctx.fillRect(left, top, Math.max(1, right - left), height);
      start = undefined;
    }
  }
  ctx.restore();
}

function makeChart() {
  const element = $('chart');
  const width = Math.max(320, element.clientWidth);
  chart = new uPlot(
    {
      width,
      height: 260,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: true },
        events: { auto: true, range: (_u, _min, max) => [0, Math.max(10, max)] },
        rate: { auto: true, range: (_u, _min, max) => [0, Math.max(10, max)] },
      },
      axes: [
        // Whole seconds: a short history would otherwise be labelled in milliseconds (":29.500").
        { space: 70, values: (_u, splits) => splits.map((t) => clock(t * 1000)) },
        { scale: 'events', label: 'backlog (events)', stroke: '#1f6feb' },
        { scale: 'rate', label: 'delivered / s', side: 1, stroke: '#1a7f37', grid: { show: false } },
      ],
      series: [
        {},
        {
          label: 'backlog',
          scale: 'events',
          stroke: '#1f6feb',
          width: 2,
          fill: 'rgba(31,111,235,0.12)',
          points: { show: false },
        },
        { label: 'delivered / s', scale: 'rate', stroke: '#1a7f37', width: 2, points: { show: false } },
      ],
      hooks: { drawClear: [drawOffline] },
    },
    chartData,
    element,
  );
  window.addEventListener('resize', () =>
    chart.setSize({ width: Math.max(320, element.clientWidth), height: 260 }),
  );
}

function pushPoint(t, backlog, rate, online) {
  chartData[0].push(t);
  chartData[1].push(backlog);
  chartData[2].push(rate);
  onlineAt.push(online);
  if (chartData[0].length > MAX_POINTS) {
    for (const column of chartData) column.shift();
    onlineAt.shift();
  }
  // For people reading the page with tools (and the browser test): how much the chart holds, and where it ends.
  const element = $('chart');
  element.dataset.points = String(chartData[0].length);
  element.dataset.lastBacklog = String(backlog);
}

function networkMode(snapshot) {
  if (snapshot.scheduledDrops) return 'on the outage schedule';
  return snapshot.scheduleAvailable ? 'set by hand' : 'stays up';
}

function show(snapshot) {
  const backlog = snapshot.pending + snapshot.inFlight;
  $('count-recorded').textContent = number(snapshot.recorded);
  $('count-pending').textContent = number(snapshot.pending);
  $('count-in-flight').textContent = number(snapshot.inFlight);
  $('count-backlog').textContent = number(backlog);
  $('count-delivered').textContent = number(snapshot.delivered);
  $('count-dead').textContent = number(snapshot.dead);
  $('count-requests').textContent = number(snapshot.requests);
  $('count-429').textContent = number(snapshot.rateLimited);
  $('count-rate').textContent = snapshot.deliveryRate.toFixed(1);

  const status = $('engine-status');
  status.textContent = snapshot.status.state;
  status.dataset.state = snapshot.status.state;
  const network = $('network-state');
  network.textContent = snapshot.online ? 'online' : 'offline';
  network.dataset.state = snapshot.online ? 'online' : 'offline';
  $('network-mode').textContent = `(${networkMode(snapshot)})`;
  $('network-schedule').disabled = snapshot.scheduledDrops || !snapshot.scheduleAvailable;
  $('network-schedule').title = snapshot.scheduleAvailable
    ? 'Let the network drop and come back on the schedule again'
    : 'No outage schedule in this run (--no-drops, or every --events event is recorded)';
  $('fault-state').textContent = snapshot.faults ?? 'off (real HubSpot)';
  recording = snapshot.recording;
  $('recording-state').textContent = recording ? 'recording' : 'paused';
  $('toggle-recording').textContent = recording ? 'Pause kiosks' : 'Resume kiosks';
  if (snapshot.faults !== null && document.activeElement !== $('fault-profile')) {
    $('fault-profile').value = snapshot.faults;
  }

  const parts = [];
  if (snapshot.status.reason) parts.push(snapshot.status.reason);
  if (snapshot.status.until && snapshot.status.until > snapshot.at) {
    parts.push(`for ${Math.ceil((snapshot.status.until - snapshot.at) / 1000)} s more`);
  }
  if (snapshot.emulator) {
    parts.push(
      `the emulator stored ${number(snapshot.emulator.eventsStored)} events; ${number(snapshot.emulator.faultsInjected)} faults injected`,
    );
  }
  $('status-detail').textContent = parts.join(' · ');

  pushPoint(snapshot.at / 1000, backlog, snapshot.deliveryRate, snapshot.online);
  chart?.setData(chartData);

  refreshLists(snapshot);
}

/** The lists the snapshot does not carry: dead letters when their count moved, recent events and accounts now and then. */
function refreshLists(snapshot) {
  if (snapshot.dead !== lastDead) {
    lastDead = snapshot.dead;
    void refreshDead();
  }
  if (snapshot.at - lastRecentAt >= RECENT_EVERY_MS) {
    lastRecentAt = snapshot.at;
    void refreshRecent();
  }
  if (snapshot.at - lastAccountsAt >= ACCOUNTS_EVERY_MS) {
    lastAccountsAt = snapshot.at;
    void refreshAccounts();
  }
}

function actionButton(label, testid, action) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.dataset.testid = testid;
  control(button, 'click', async () => {
    await action();
    lastAccountsAt = 0;
  });
  return button;
}

async function refreshAccounts() {
  const { accounts } = await api('/api/accounts');
  const body = $('account-list');
  body.replaceChildren();
  for (const account of accounts) {
    const row = body.insertRow();
    row.dataset.testid = 'account';
    row.dataset.id = account.id;
    row.insertCell().textContent = account.installed ? account.id : `${account.id} (uninstalled)`;
    const state = row.insertCell();
    state.textContent = account.reason ? `${account.state}: ${account.reason}` : account.state;
    state.dataset.state = account.state;
    state.dataset.testid = `account-state-${account.id}`;
    row.insertCell().textContent = number(account.pending + account.inFlight);
    row.insertCell().textContent = number(account.delivered);
    row.insertCell().textContent = number(account.dead);
    const actions = row.insertCell();
    if (account.id === 'default') continue;
    actions.append(
      actionButton(account.throttled ? 'Unthrottle' : 'Throttle', `throttle-${account.id}`, async () => {
        await api(`/api/accounts/${account.id}/throttle`, { on: !account.throttled });
        say(
          account.throttled
            ? `Account ${account.id} has its full rate limit back.`
            : `HubSpot now throttles account ${account.id}.`,
        );
      }),
    );
    if (account.installed) {
      actions.append(
        actionButton('Uninstall', `uninstall-${account.id}`, async () => {
          await api(`/api/accounts/${account.id}/uninstall`, {});
          say(`App uninstalled from account ${account.id}: its events wait, the other accounts go on.`);
        }),
      );
    } else {
      actions.append(
        actionButton('Discard its events', `discard-${account.id}`, async () => {
          const { discarded } = await api(`/api/accounts/${account.id}/discard`, {});
          say(`Discarded ${discarded} events of account ${account.id}.`);
        }),
      );
    }
  }
}

/** Open the amend form for one dead letter, prefilled with the fields a person may correct. */
async function startAmend(id) {
  const found = await api(`/api/events/${encodeURIComponent(id)}`);
  // The id cannot change; the timestamp stays unless a person adds it back.
  const { id: _id, timestamp: _timestamp, ...fields } = found.event;
  amending = id;
  $('amend-id').textContent = id;
  $('amend-patch').value = JSON.stringify(fields, null, 2);
  $('amend-form').hidden = false;
  $('amend-patch').focus();
}

function idLink(id) {
  const link = document.createElement('a');
  link.href = '#';
  link.textContent = id;
  link.className = 'event-id';
  link.addEventListener('click', (event) => {
    event.preventDefault();
    $('lookup-id').value = id;
    void lookup(id);
  });
  return link;
}

async function refreshDead() {
  const { dead } = await api('/api/dead?limit=100');
  const body = $('dead-list');
  body.replaceChildren();
  if (dead.length === 0) {
    const row = body.insertRow();
    row.className = 'empty';
    const cell = row.insertCell();
    cell.colSpan = 6;
    cell.textContent = 'No dead letters.';
    return;
  }
  for (const letter of dead) {
    const row = body.insertRow();
    row.dataset.testid = 'dead-letter';
    row.dataset.id = letter.id;
    row.insertCell().append(idLink(letter.id));
    row.insertCell().textContent = letter.eventTemplateId;
    row.insertCell().textContent = letter.subject;
    row.insertCell().textContent = letter.reason;
    row.insertCell().textContent = `${letter.sends}×`;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Requeue';
    button.dataset.testid = `requeue-${letter.id}`;
    button.addEventListener('click', async () => {
      const { requeued } = await api('/api/requeue', { ids: [letter.id] });
      say(`Requeued ${requeued} event: it is sent again.`);
      lastDead = -1;
    });
    const amend = document.createElement('button');
    amend.type = 'button';
    amend.textContent = 'Amend…';
    amend.dataset.testid = `amend-${letter.id}`;
    control(amend, 'click', () => startAmend(letter.id));
    row.insertCell().append(button, ' ', amend);
  }
}

async function refreshRecent() {
  const { recent } = await api('/api/recent?limit=8');
  const list = $('recent-list');
  list.replaceChildren();
  for (const event of recent) {
    const item = document.createElement('li');
    item.dataset.testid = 'recent-event';
    const status = document.createElement('span');
    status.className = `status ${event.status}`;
    status.textContent = event.status;
    item.append(idLink(event.id), ' ', status);
    list.append(item);
  }
}

async function lookup(id) {
  const target = $('lookup-result');
  target.replaceChildren();
  if (id.trim() === '') return;
  try {
    const found = await api(`/api/events/${encodeURIComponent(id.trim())}`);
    const summary = document.createElement('p');
    summary.dataset.testid = 'lookup-status';
    summary.className = `headline ${found.status}`;
    const strong = document.createElement('strong');
    strong.textContent = found.id;
    summary.append(strong, ` — ${found.headline}`);
    const list = document.createElement('ol');
    list.dataset.testid = 'lookup-history';
    for (const step of found.history) {
      const item = document.createElement('li');
      item.innerHTML = '<strong></strong> <time></time> <span></span>';
      item.querySelector('strong').textContent = step.type;
      item.querySelector('time').textContent = clock(step.at);
      item.querySelector('span').textContent = step.detail;
      list.append(item);
    }
    const raw = document.createElement('details');
    raw.innerHTML = '<summary>the event as stored</summary><pre></pre>';
    raw.querySelector('pre').textContent = JSON.stringify(found.event, null, 2);
    target.append(summary, list, raw);
  } catch (error) {
    const message = document.createElement('p');
    message.className = 'error';
    message.textContent = error.message;
    target.append(message);
  }
}

function connect() {
  const source = new EventSource('/api/stream');
  source.addEventListener('open', () => {
    $('connection').textContent = 'live';
    $('connection').className = 'badge live';
  });
  source.addEventListener('snapshot', (message) => show(JSON.parse(message.data)));
  source.addEventListener('error', () => {
    $('connection').textContent = 'reconnecting…';
    $('connection').className = 'badge muted';
  });
}

/** Run a control's request; a refusal (e.g. no schedule to go back to) is shown, not thrown. */
function control(element, event, action) {
  element.addEventListener(event, () => {
    action().catch((error) => say(error.message));
  });
}

async function main() {
  const info = await api('/api/info');
  const select = $('fault-profile');
  for (const name of info.faultProfiles) select.add(new Option(name, name));
  select.disabled = !info.controls.faults;
  $('target').textContent = info.target === 'emulator' ? 'HubSpot emulator' : 'real HubSpot';
  if (info.note) {
    $('mode-note').textContent = info.note;
    $('mode-note').hidden = false;
  }

  const { points } = await api('/api/series');
  for (const point of points) pushPoint(point.t, point.backlog, point.rate, point.online);
  makeChart();

  control($('go-offline'), 'click', async () => {
    await api('/api/network', { online: false });
    say('Network cut: the kiosks keep recording to disk.');
  });
  control($('go-online'), 'click', async () => {
    await api('/api/network', { online: true });
    say('Network back: the backlog drains.');
  });
  control($('network-schedule'), 'click', async () => {
    await api('/api/network', { schedule: true });
    say('The network follows the outage schedule again.');
  });
  control($('toggle-recording'), 'click', async () => {
    const result = await api('/api/recording', { on: !recording });
    recording = result.recording;
    say(recording ? 'Kiosks recording again.' : 'Kiosks paused: watch the backlog drain to zero.');
  });
  control(select, 'change', async () => {
    await api('/api/faults', { profile: select.value });
    say(`Fault profile: ${select.value}.`);
  });
  control($('record-burst'), 'click', async () => {
    const { recorded } = await api('/api/burst', { count: Number($('burst-size').value) });
    say(`Recorded a burst of ${recorded}.`);
  });
  control($('record-invalid'), 'click', async () => {
    const { id } = await api('/api/invalid', {});
    $('lookup-id').value = id;
    say(`Recorded invalid event ${id}; HubSpot will refuse it.`);
  });
  control($('requeue-all'), 'click', async () => {
    const { requeued } = await api('/api/requeue', { all: true });
    say(`Requeued ${requeued}.`);
    lastDead = -1;
  });
  control($('amend-form'), 'submit', async () => {
    let patch;
    try {
      patch = JSON.parse($('amend-patch').value);
    } catch {
      throw new Error('The correction is not valid JSON.');
    }
    const { requeued } = await api(`/api/dead/${encodeURIComponent(amending)}/amend`, { patch });
    say(`Amended and requeued ${requeued} event: it is sent again, the original kept in its history.`);
    $('amend-form').hidden = true;
    lastDead = -1;
  });
  $('amend-form').addEventListener('submit', (event) => event.preventDefault());
  $('amend-cancel').addEventListener('click', () => {
    $('amend-form').hidden = true;
  });
  $('lookup-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void lookup($('lookup-id').value);
  });
  void refreshRecent();
  connect();
}

main().catch((error) => say(`Dashboard failed to start: ${error.message}`));
