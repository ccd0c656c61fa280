// The dashboard's only script: no build step. It follows the server's snapshot stream (SSE), draws the chart
// with uPlot (loaded by the page as a classic script) and calls the demo's small JSON API for the controls.

const $ = (id) => document.getElementById(id);
const number = (value) => Number(value).toLocaleString('en-US');
const MAX_POINTS = 1200;

const chartData = [[], [], []];
let chart;
let lastDead = -1;
let recording = true;

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

function makeChart() {
  const element = $('chart');
  const width = Math.max(320, element.clientWidth);
  chart = new uPlot(
    {
      width,
      height: 260,
      scales: {
        x: { time: true },
        events: { auto: true, range: (_u, _min, max) => [0, Math.max(10, max)] },
        rate: { auto: true, range: (_u, _min, max) => [0, Math.max(10, max)] },
      },
      axes: [
        {},
        { scale: 'events', label: 'backlog (events)', stroke: '#1f6feb' },
        { scale: 'rate', label: 'delivered / s', side: 1, stroke: '#1a7f37', grid: { show: false } },
      ],
      series: [
        {},
        { label: 'backlog', scale: 'events', stroke: '#1f6feb', width: 2, fill: 'rgba(31,111,235,0.12)' },
        { label: 'delivered / s', scale: 'rate', stroke: '#1a7f37', width: 2 },
      ],
    },
    chartData,
    element,
  );
  window.addEventListener('resize', () =>
    chart.setSize({ width: Math.max(320, element.clientWidth), height: 260 }),
  );
}

function pushPoint(t, backlog, rate) {
  chartData[0].push(t);
  chartData[1].push(backlog);
  chartData[2].push(rate);
  if (chartData[0].length > MAX_POINTS) for (const column of chartData) column.shift();
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
  $('fault-state').textContent = snapshot.faults ?? 'n/a';
  recording = snapshot.recording;
  $('recording-state').textContent = recording ? 'recording' : 'paused';
  $('toggle-recording').textContent = recording ? 'Pause kiosks' : 'Resume kiosks';
  if (snapshot.faults !== null) $('fault-profile').value = snapshot.faults;

  const parts = [];
  if (snapshot.status.reason) parts.push(snapshot.status.reason);
  if (snapshot.status.until) parts.push(`until ${new Date(snapshot.status.until).toLocaleTimeString()}`);
  parts.push(snapshot.scheduledDrops ? 'outages follow the schedule' : 'network under manual control');
  if (snapshot.emulator) {
    parts.push(
      `emulator stored ${number(snapshot.emulator.eventsStored)}, ${number(snapshot.emulator.faultsInjected)} faults injected`,
    );
  }
  $('status-detail').textContent = parts.join(' · ');

  pushPoint(snapshot.at / 1000, backlog, snapshot.deliveryRate);
  chart?.setData(chartData);

  if (snapshot.dead !== lastDead) {
    lastDead = snapshot.dead;
    void refreshDead();
  }
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
    const idCell = row.insertCell();
    const link = document.createElement('a');
    link.href = '#';
    link.textContent = letter.id;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      $('lookup-id').value = letter.id;
      void lookup(letter.id);
    });
    idCell.append(link);
    row.insertCell().textContent = letter.eventTemplateId;
    row.insertCell().textContent = letter.subject;
    row.insertCell().textContent = letter.reason;
    row.insertCell().textContent = String(letter.attempts);
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Requeue';
    button.dataset.testid = `requeue-${letter.id}`;
    button.addEventListener('click', async () => {
      const { requeued } = await api('/api/requeue', { ids: [letter.id] });
      say(`Requeued ${requeued}.`);
      lastDead = -1;
    });
    row.insertCell().append(button);
  }
}

function describe(event) {
  const { type, at, ...rest } = event;
  const details = Object.entries(rest)
    .map(
      ([key, value]) =>
        `${key}: ${key.endsWith('Until') || key.endsWith('At') ? new Date(value).toLocaleTimeString() : value}`,
    )
    .join(', ');
  return { type, at: new Date(at).toLocaleTimeString(), details };
}

async function lookup(id) {
  const target = $('lookup-result');
  target.replaceChildren();
  if (id.trim() === '') return;
  try {
    const found = await api(`/api/events/${encodeURIComponent(id.trim())}`);
    const summary = document.createElement('p');
    summary.dataset.testid = 'lookup-status';
    summary.textContent = `${found.id}: ${found.status}, ${found.attempts} attempt(s)${found.lastError ? ` — last error: ${found.lastError}` : ''}`;
    const list = document.createElement('ol');
    list.dataset.testid = 'lookup-history';
    for (const record of found.history) {
      const item = document.createElement('li');
      const view = describe(record.event);
      item.innerHTML = '<strong></strong> <time></time> <span></span>';
      item.querySelector('strong').textContent = view.type;
      item.querySelector('time').textContent = view.at;
      item.querySelector('span').textContent = view.details;
      list.append(item);
    }
    const event = document.createElement('pre');
    event.textContent = JSON.stringify(found.event, null, 2);
    target.append(summary, list, event);
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
  for (const point of points) pushPoint(point.t, point.backlog, point.rate);
  makeChart();

  $('go-offline').addEventListener('click', async () => {
    await api('/api/network', { online: false });
    say('Network cut: the kiosks keep recording to disk.');
  });
  $('go-online').addEventListener('click', async () => {
    await api('/api/network', { online: true });
    say('Network back: the backlog drains.');
  });
  $('toggle-recording').addEventListener('click', async () => {
    const result = await api('/api/recording', { on: !recording });
    recording = result.recording;
    say(recording ? 'Kiosks recording again.' : 'Kiosks paused: watch the backlog drain to zero.');
  });
  select.addEventListener('change', async () => {
    await api('/api/faults', { profile: select.value });
    say(`Fault profile: ${select.value}.`);
  });
  $('record-burst').addEventListener('click', async () => {
    const { recorded } = await api('/api/burst', { count: Number($('burst-size').value) });
    say(`Recorded a burst of ${recorded}.`);
  });
  $('record-invalid').addEventListener('click', async () => {
    const { id } = await api('/api/invalid', {});
    $('lookup-id').value = id;
    say(`Recorded invalid event ${id}; HubSpot will refuse it.`);
  });
  $('requeue-all').addEventListener('click', async () => {
    const { requeued } = await api('/api/requeue', { all: true });
    say(`Requeued ${requeued}.`);
    lastDead = -1;
  });
  $('lookup-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void lookup($('lookup-id').value);
  });
  connect();
}

main().catch((error) => say(`Dashboard failed to start: ${error.message}`));
