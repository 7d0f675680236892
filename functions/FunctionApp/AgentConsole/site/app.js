// The agent console: sign in, presence, ringing calls, the call itself (audio, mute, transfer, end), the
// disposition afterwards, follow-ups and the dial pad. Every action that cannot run says why on screen.
import { createApi, explain, listOf } from './api.js';
import { openAgentLeg } from './media.js';
import { connectNotifications } from './notifications.js';
import { beginEntraSignIn, completeEntraSignIn, loadSignInConfig } from './signin.js';

const TokenKey = 'agentConsole.token';
// A placed call's progress comes over SignalR (placedCallProgress); the console also reads the call every few seconds
// in case a notification is lost. `?callPolling=off` turns the reads off, so the browser tests prove the push alone.
const CallPollMs = 3000;
const CallPolling = new URLSearchParams(window.location.search).get('callPolling') !== 'off';
const PlacedPhases = { Connecting: 1, Ringing: 2, Connected: 3 };
const PlacedEnds = ['Ended', 'Rejected', 'Unanswered'];
const DefaultDispositions = ['resolved', 'follow-up-required', 'no-answer'].map((code) => ({ code, label: labelOf(code) }));

const $ = (selector) => document.querySelector(selector);
const enc = encodeURIComponent;

const state = {
  token: sessionStorage.getItem(TokenKey),
  me: null,
  notifications: null,
  cards: new Map(), // callId → { kind: 'incoming' | 'transfer', data, element, expiry }
  call: null, // { callId, customer, leg, outbound, phase, startedAt, muted, tick, poll }
  placedProgress: new Map(), // callId → phase, for notifications that beat the answer to POST /api/calls
  dispositionFor: null,
  dispositionCodes: DefaultDispositions,
  numbers: [],
  numbersProblem: null,
  dialing: false,
  dialBlocked: null, // the server said this agent may not place calls (capability, restriction)
  followUpMessages: new Map(), // follow-up id → the last refusal, kept across a reload of the list
  snackbarTimer: null,
  signIn: { mode: 'development', scopes: [] },
};

const api = createApi(() => state.token, () => signOut('Your sign-in has expired. Sign in again.'));

// Read-only hooks for people debugging a call in the browser's devtools (and for the console's browser tests).
window.agentConsole = {
  peerConnectionState: () => state.call?.leg?.pc.connectionState ?? null,
  currentCallId: () => state.call?.callId ?? null,
  callPhase: () => state.call?.phase ?? null,
};

// ---------- helpers ----------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function labelOf(code) {
  const text = String(code).replace(/[-_]/g, ' ').trim();
  return text ? text[0].toUpperCase() + text.slice(1) : String(code);
}

function formatNumber(number) {
  if (!number) return null;
  return /^\d+$/.test(number) ? `+${number}` : number;
}

function customerName(customer) {
  if (!customer) return 'Unknown customer';
  if (typeof customer === 'string') return formatNumber(customer);
  return customer.name || formatNumber(customer.phoneNumber) || customer.contactKey || 'Unknown customer';
}

function customerNumber(customer) {
  if (!customer || typeof customer === 'string') return formatNumber(customer) ?? '';
  return formatNumber(customer.phoneNumber) ?? customer.contactKey ?? '';
}

function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/**
 * callEnded's endedBy (docs/API.md: "customer", an agent id, "system", or "meta" when Meta's terminate does not say
 * which side hung up) in words; null when nobody can be named.
 */
function endedByText(endedBy) {
  const raw = String(endedBy ?? '');
  if (raw === state.me?.agentId) return 'you';
  const words = { customer: 'the customer', system: 'the system', meta: null, '': null };
  return raw in words ? words[raw] : raw;
}

function snackbar(message) {
  const bar = $('#snackbar');
  bar.textContent = message;
  bar.hidden = false;
  clearTimeout(state.snackbarTimer);
  state.snackbarTimer = setTimeout(() => { bar.hidden = true; }, 8000);
}

function cardFor(callId) {
  return document.querySelector(`#incoming-list [data-call-id="${CSS.escape(callId)}"]`);
}

// ---------- sign-in ----------

async function signIn(event) {
  event.preventDefault();
  const error = $('#sign-in-error');
  error.textContent = '';
  const pasted = $('#access-token').value.trim();
  try {
    if (pasted) {
      state.token = pasted;
    } else if (state.signIn.mode === 'entra') {
      await beginEntraSignIn(state.signIn);
      return;
    } else if (state.signIn.mode === 'token') {
      error.textContent = 'Paste an access token to sign in.';
      $('#access-token').focus();
      return;
    } else {
      const agentId = $('#agent-id').value.trim();
      if (!agentId) {
        error.textContent = 'Enter your agent id.';
        $('#agent-id').focus();
        return;
      }
      const issued = await api.post('/api/auth/dev-token', { agentId });
      state.token = issued.accessToken;
    }
    sessionStorage.setItem(TokenKey, state.token);
    await enterWorkspace();
  } catch (e) {
    state.token = null;
    sessionStorage.removeItem(TokenKey);
    error.textContent = e.status === 404
      ? 'Development sign-in is not enabled on this server (Development environment only). Use an access token instead.'
      : explain(e, 'Signing in');
  }
}

async function enterWorkspace() {
  state.me = await api.get('/api/agents/me');
  $('#sign-in-view').hidden = true;
  $('#workspace').hidden = false;
  $('#who').hidden = false;
  $('#who').textContent = `Signed in as ${state.me.name ?? state.me.agentId}`;
  $('#sign-out').hidden = false;
  // What an admin allows is known up front, so the dial pad says why it is off before anyone presses Call.
  const capabilities = state.me.capabilities;
  state.dialBlocked = capabilities?.restricted ? AgentDialRefusals.agentRestricted
    : capabilities?.mayMakeCalls === false ? AgentDialRefusals.agentMayNotMakeCalls : null;
  renderPresence(state.me);
  state.notifications = connectNotifications({ getToken: () => state.token, handlers, onState: renderConnection });
  await Promise.all([loadDispositionCodes(), loadBusinessNumbers(), loadFollowUps()]);
  if (state.me.activeCall && !state.call) showCallWithoutAudio(state.me.activeCall);
}

async function signOut(message) {
  if (state.token && state.me && !message) {
    try { await api.put('/api/agents/me/presence', { presence: 'offline' }); } catch { /* signing out anyway */ }
  }
  await state.notifications?.stop();
  state.notifications = null;
  endCallLocally();
  for (const callId of [...state.cards.keys()]) removeCard(callId);
  state.token = null;
  state.me = null;
  sessionStorage.removeItem(TokenKey);
  $('#workspace').hidden = true;
  $('#who').hidden = true;
  $('#sign-out').hidden = true;
  $('#sign-in-view').hidden = false;
  renderConnection('signed-out');
  $('#sign-in-error').textContent = message ?? '';
}

// ---------- connection and presence ----------

function renderConnection(connectionState, info = {}) {
  const text = {
    'signed-out': 'Signed out',
    connecting: 'Connecting to notifications…',
    connected: 'Connected: calls will appear here',
    reconnecting: 'Connection lost: reconnecting…',
    disconnected: `Not connected: retrying${info.error?.message ? ` (${info.error.message})` : ''}`,
  }[connectionState];
  const status = $('#connection');
  status.dataset.state = connectionState;
  status.textContent = text;
  if (connectionState === 'connected' && info.reconnected) refreshAfterReconnect();
}

/** Messages sent while the console was away are not replayed: re-read what matters over REST. */
async function refreshAfterReconnect() {
  try {
    state.me = await api.get('/api/agents/me');
    renderPresence(state.me);
    if (state.call?.outbound) await readPlacedCall(state.call.callId);
    if (state.call && state.me.activeCall !== state.call.callId) {
      const call = await api.get(`/api/calls/${enc(state.call.callId)}`);
      if (call.phase === 'Ended' || call.endedAt) callFinished(state.call.callId, call.disposition === 'Required', 'The call ended while the console was reconnecting.');
    }
    for (const [callId, card] of state.cards) {
      if (card.kind !== 'incoming') continue;
      const call = await api.get(`/api/calls/${enc(callId)}`);
      if (call.phase !== 'Ringing') removeCard(callId);
    }
    await loadFollowUps();
  } catch (e) {
    snackbar(explain(e, 'Refreshing after the reconnect'));
  }
}

function renderPresence(me) {
  for (const radio of document.querySelectorAll('input[name=presence]')) radio.checked = radio.value === me.presence;
  const status = $('#presence-status');
  status.dataset.presence = me.presence;
  const text = {
    available: 'You are available: calls ring here.',
    away: 'You are away: calls do not ring here.',
    offline: 'You are offline: calls do not ring here.',
  }[me.presence] ?? `Presence: ${me.presence}`;
  status.textContent = me.onCall ? `${text} You are on a call.` : text;
  renderDialButton();
}

async function changePresence(event) {
  const presence = event.target.value;
  const status = $('#presence-status');
  status.dataset.presence = 'saving';
  status.textContent = `Changing to ${presence}…`;
  try {
    state.me = { ...state.me, ...(await api.put('/api/agents/me/presence', { presence })) };
    renderPresence(state.me);
  } catch (e) {
    renderPresence(state.me);
    snackbar(explain(e, 'Changing your presence'));
  }
}

// ---------- ringing calls and transfer offers ----------

function acceptBlockedReason(card) {
  if (state.call) return 'You are on another call. End it before you can accept this one.';
  if (card.kind === 'incoming' && !card.data.canAcceptNow) {
    const reason = card.data.reason;
    if (!reason || reason === 'on_call') return 'You are on another call. End it before you can accept this one.';
    return reason.includes(' ') ? reason : `You cannot accept this call now (${reason}).`;
  }
  return null;
}

function showCard(kind, data, expiresAt) {
  removeCard(data.callId);
  const id = `card-${state.cards.size}-${Date.now()}`;
  const card = { kind, data };
  const heading = kind === 'incoming'
    ? `Incoming call from ${customerName(data.customer)}`
    : `Transfer from ${data.fromAgentId}: ${customerName(data.customer)}`;
  const number = customerNumber(data.customer);
  const to = kind === 'incoming' ? formatNumber(data.businessNumber) ?? data.businessNumberId : null;
  const reason = el('p', { class: 'reason', id: `${id}-reason` });
  const error = el('p', { class: 'error', role: 'alert' });
  const accept = el('button', {
    type: 'button', class: 'accept', 'aria-describedby': `${id}-reason`,
    text: kind === 'incoming' ? 'Accept' : 'Accept transfer',
    onclick: () => (kind === 'incoming' ? acceptCall(data.callId) : acceptTransfer(data.callId)),
  });
  const decline = el('button', {
    type: 'button', text: 'Decline',
    onclick: () => (kind === 'incoming' ? declineCall(data.callId) : declineTransfer(data.callId)),
  });
  card.element = el('li', { class: 'call-card', 'data-call-id': data.callId, 'data-kind': kind, 'aria-labelledby': `${id}-title` },
    el('h3', { id: `${id}-title`, text: heading }),
    el('p', { text: [number && number !== heading ? number : null, to ? `to ${to}` : null].filter(Boolean).join(' ') }),
    data.note ? el('p', { text: `Note: ${data.note}` }) : null,
    reason,
    el('div', { class: 'actions' }, accept, decline),
    error);
  card.accept = accept;
  card.decline = decline;
  card.reason = reason;
  card.error = error;
  const until = Date.parse(expiresAt ?? '');
  if (!Number.isNaN(until)) {
    card.expiry = setTimeout(() => {
      removeCard(data.callId);
      snackbar(`${heading}: stopped ringing.`);
    }, Math.max(0, until - Date.now()));
  }
  state.cards.set(data.callId, card);
  $('#incoming-list').append(card.element);
  renderCardButtons(card);
  renderIncomingEmpty();
}

function renderCardButtons(card) {
  if (card.refused) return;
  const blocked = acceptBlockedReason(card);
  card.element.classList.toggle('busy', Boolean(blocked));
  card.accept.disabled = Boolean(blocked) || Boolean(card.pending);
  card.decline.disabled = Boolean(card.pending);
  card.reason.textContent = blocked ?? '';
}

function removeCard(callId) {
  const card = state.cards.get(callId);
  if (!card) return;
  clearTimeout(card.expiry);
  card.element.remove();
  state.cards.delete(callId);
  renderIncomingEmpty();
}

function renderIncomingEmpty() {
  $('#no-incoming').hidden = state.cards.size > 0;
}

/** The server refused: say why on the card, keep it readable, and turn Decline into Dismiss. */
function refuseCard(card, message) {
  card.refused = true;
  card.pending = false;
  card.accept.disabled = true;
  card.reason.textContent = '';
  card.error.textContent = message;
  card.decline.disabled = false;
  card.decline.textContent = 'Dismiss';
  card.decline.onclick = () => removeCard(card.data.callId);
}

async function acceptCall(callId) {
  await answer(callId, 'Accepting the call', (sdpOffer) => api.post(`/api/calls/${enc(callId)}/accept`, { sdpOffer }));
}

async function acceptTransfer(callId) {
  await answer(callId, 'Accepting the transfer', (sdpOffer) => api.post(`/api/calls/${enc(callId)}/transfer/accept`, { sdpOffer }));
}

/** Microphone, offer, the server's (relay's) answer applied: the call is ours. */
async function answer(callId, action, send) {
  const card = state.cards.get(callId);
  if (!card) return;
  card.pending = true;
  card.error.textContent = '';
  renderCardButtons(card);
  card.reason.textContent = 'Connecting…';
  let leg = null;
  try {
    leg = await openAgentLeg($('#remote-audio'), (mediaState) => { if (state.call?.leg === leg) renderMedia(mediaState); });
    const accepted = await send(leg.sdpOffer);
    await leg.applyAnswer(accepted.sdpAnswer);
    removeCard(callId);
    startCall({ callId, customer: card.data.customer, leg, acceptedAt: accepted.call?.acceptedAt });
  } catch (e) {
    leg?.close();
    if (e.status) refuseCard(card, explain(e, action));
    else {
      card.pending = false;
      renderCardButtons(card);
      card.error.textContent = explain(e, action);
    }
  }
}

async function declineCall(callId) {
  const card = state.cards.get(callId);
  try {
    await api.post(`/api/calls/${enc(callId)}/decline`);
    removeCard(callId);
  } catch (e) {
    if (card) refuseCard(card, explain(e, 'Declining the call'));
  }
}

async function declineTransfer(callId) {
  const card = state.cards.get(callId);
  try {
    await api.post(`/api/calls/${enc(callId)}/transfer/decline`);
    removeCard(callId);
    snackbar('Transfer declined: the call stays with your teammate.');
  } catch (e) {
    if (card) refuseCard(card, explain(e, 'Declining the transfer'));
  }
}

// ---------- the call ----------

function startCall({ callId, customer, leg, acceptedAt, outbound, phase }) {
  const started = Date.parse(acceptedAt ?? '');
  state.call = {
    callId, customer, leg, outbound: Boolean(outbound), phase: outbound ? 'Connecting' : 'Connected',
    startedAt: Number.isNaN(started) ? Date.now() : started, muted: false,
  };
  $('#call-customer').textContent = customerName(customer);
  const number = customerNumber(customer);
  $('#call-number').textContent = number !== customerName(customer) ? number : '';
  $('#call-error').textContent = '';
  $('#mute').setAttribute('aria-pressed', 'false');
  $('#mute').textContent = 'Mute';
  $('#end-call').disabled = false;
  $('#in-call').dataset.callId = callId;
  $('#in-call').hidden = false;
  renderMedia(leg ? leg.pc.connectionState : 'none');
  renderCallPhase();
  state.call.tick = setInterval(renderTimer, 1000);
  if (outbound) {
    // The POST's own answer, then anything SignalR said while it was on its way (callEnded already did its part).
    const early = state.placedProgress.get(callId);
    state.placedProgress.clear();
    if (early === 'Ended') {
      endCallLocally();
      return;
    }
    advancePlacedCall(callId, phase);
    advancePlacedCall(callId, early);
    if (CallPolling && state.call?.callId === callId) state.call.poll = setTimeout(() => pollPlacedCall(callId), CallPollMs);
  }
  afterCallChange();
  $('#in-call-title').setAttribute('tabindex', '-1');
  $('#in-call-title').focus();
}

function renderTimer() {
  if (state.call) $('#call-timer').textContent = formatDuration((Date.now() - state.call.startedAt) / 1000);
}

/** Title, status and buttons for where the call is: a placed call is Calling… then Ringing… then Connected. */
function renderCallPhase() {
  const call = state.call;
  const connected = call.phase === 'Connected';
  $('#in-call').dataset.phase = call.phase;
  $('#in-call-title').textContent = connected ? 'On a call' : 'Calling';
  $('#call-status').textContent = { Connecting: 'Calling…', Ringing: 'Ringing…' }[call.phase] ?? 'Connected';
  $('#call-timer').hidden = !connected;
  renderTimer();
  // Before the customer answers the server refuses mute and transfer (CallNotInProgress): say so instead.
  const notYet = connected ? null : 'Mute and transfer work once the customer answers.';
  const noAudio = call.leg ? null : 'Mute needs this window\'s audio.';
  $('#mute').disabled = Boolean(notYet || noAudio);
  $('#open-transfer').disabled = Boolean(notYet);
  $('#call-actions-reason').textContent = notYet ?? noAudio ?? '';
}

/** A phase of the call this agent placed, from SignalR, the POST's answer or a poll; it only moves forward. */
function advancePlacedCall(callId, phase) {
  const rank = PlacedPhases[phase];
  if (!rank) return;
  const call = state.call;
  if (call?.callId !== callId) {
    // The notification beat the answer to POST /api/calls: keep the furthest phase until the call is shown.
    const known = state.placedProgress.get(callId);
    if (!call && known !== 'Ended' && rank > (PlacedPhases[known] ?? 0)) state.placedProgress.set(callId, phase);
    return;
  }
  if (!call.outbound || rank <= PlacedPhases[call.phase]) return;
  call.phase = phase;
  if (phase === 'Connected') call.startedAt = Date.now();
  renderCallPhase();
}

/** Reads the placed call and shows its phase, or its end. */
async function readPlacedCall(callId) {
  const call = await api.get(`/api/calls/${enc(callId)}`);
  if (state.call?.callId !== callId) return;
  if (PlacedEnds.includes(call.phase)) {
    const why = { Rejected: 'The customer declined the call.', Unanswered: 'The customer did not answer.' }[call.phase] ?? 'The call ended.';
    callFinished(callId, call.disposition === 'Required', why);
  } else {
    advancePlacedCall(callId, call.phase);
  }
}

/** The fallback for lost notifications: read the placed call every few seconds until it ends. */
async function pollPlacedCall(callId) {
  try {
    await readPlacedCall(callId);
  } catch {
    // A failed read changes nothing: the next one, or SignalR, brings the news.
  }
  if (state.call?.callId === callId) state.call.poll = setTimeout(() => pollPlacedCall(callId), CallPollMs);
}

/** After a reload the server still has us on a call, but this page has no audio for it. */
function showCallWithoutAudio(callId) {
  startCall({ callId, customer: null, leg: null });
  $('#call-customer').textContent = `Call ${callId}`;
  $('#call-error').textContent = 'This window has no audio for this call (the page was reloaded). End it here, or call the customer back.';
}

function renderMedia(mediaState) {
  $('#in-call').dataset.media = mediaState;
  $('#media-state').textContent = {
    none: 'No audio in this window.',
    new: 'Setting up audio…',
    connecting: 'Connecting audio…',
    connected: 'Audio connected.',
    disconnected: 'Audio interrupted: reconnecting…',
    failed: 'Audio failed: the customer cannot hear you. End the call and call back.',
    closed: '',
  }[mediaState] ?? mediaState;
}

function endCallLocally() {
  if (!state.call) return;
  clearInterval(state.call.tick);
  clearTimeout(state.call.poll);
  state.call.leg?.close();
  state.call = null;
  $('#in-call').hidden = true;
  $('#in-call').dataset.media = 'none';
  delete $('#in-call').dataset.phase;
  closeTransferPanel();
  afterCallChange();
}

function callFinished(callId, dispositionRequired, message) {
  if (state.call?.callId === callId) endCallLocally();
  if (message) snackbar(message);
  // The end route's answer and the callEnded notification both say so: show the form once, keep what was typed.
  if (dispositionRequired && state.dispositionFor !== callId) showDisposition(callId);
}

/** Accept buttons and the dial button depend on whether this agent is on a call. */
function afterCallChange() {
  for (const card of state.cards.values()) renderCardButtons(card);
  renderDialButton();
}

async function endCall() {
  const call = state.call;
  if (!call) return;
  $('#end-call').disabled = true;
  try {
    const ended = await api.post(`/api/calls/${enc(call.callId)}/end`);
    callFinished(call.callId, ended?.disposition === 'Required', 'Call ended.');
  } catch (e) {
    $('#end-call').disabled = false;
    $('#call-error').textContent = explain(e, 'Ending the call');
  }
}

async function toggleMute() {
  const call = state.call;
  if (!call?.leg) return;
  const muted = !call.muted;
  // Local first: the agent must not be heard the moment they press it, whatever the server says.
  call.muted = muted;
  call.leg.setMuted(muted);
  $('#mute').setAttribute('aria-pressed', String(muted));
  $('#mute').textContent = muted ? 'Unmute' : 'Mute';
  $('#call-error').textContent = '';
  try {
    await api.post(`/api/calls/${enc(call.callId)}/mute`, { muted });
  } catch (e) {
    $('#call-error').textContent = `${explain(e, muted ? 'Muting at the relay' : 'Unmuting at the relay')} ${muted ? 'Your microphone is muted in this browser.' : ''}`.trim();
  }
}

// ---------- transfer ----------

async function openTransferPanel() {
  const call = state.call;
  if (!call) return;
  const panel = $('#transfer-panel');
  panel.hidden = false;
  $('#open-transfer').setAttribute('aria-expanded', 'true');
  $('#transfer-error').textContent = '';
  const targets = $('#transfer-targets');
  targets.replaceChildren(el('p', { class: 'hint', text: 'Loading teammates…' }));
  $('#start-transfer').disabled = true;
  try {
    const body = await api.get(`/api/calls/${enc(call.callId)}/transfer-targets`);
    const list = listOf(body, 'targets', 'agents', 'items').map((t) => ({ id: t.agentId ?? t.id, name: t.name ?? t.displayName ?? t.agentId ?? t.id }));
    if (list.length === 0) {
      targets.replaceChildren(el('p', { class: 'hint', text: 'No teammate is available, free and allowed to take calls right now.' }));
      return;
    }
    targets.replaceChildren(...list.map((t, i) => el('label', {},
      el('input', { type: 'radio', name: 'transfer-target', value: t.id, 'data-name': t.name, checked: i === 0 }), ` ${t.name}`)));
    $('#start-transfer').disabled = false;
    targets.querySelector('input')?.focus();
  } catch (e) {
    targets.replaceChildren();
    $('#transfer-error').textContent = explain(e, 'Listing teammates');
  }
}

function closeTransferPanel() {
  $('#transfer-panel').hidden = true;
  $('#open-transfer').setAttribute('aria-expanded', 'false');
  $('#transfer-note').value = '';
}

async function startTransfer(event) {
  event.preventDefault();
  const call = state.call;
  const chosen = document.querySelector('input[name=transfer-target]:checked');
  if (!call) return;
  if (!chosen) {
    $('#transfer-error').textContent = 'Choose a teammate.';
    return;
  }
  const note = $('#transfer-note').value.trim();
  $('#start-transfer').disabled = true;
  try {
    await api.post(`/api/calls/${enc(call.callId)}/transfer`, { targetAgentId: chosen.value, note: note || null });
    closeTransferPanel();
    snackbar(`Ringing ${chosen.dataset.name} for up to 30 seconds. You keep the customer until they accept.`);
  } catch (e) {
    const message = explain(e, `Transferring to ${chosen.dataset.name}`);
    $('#transfer-error').textContent = message;
    snackbar(message);
  } finally {
    $('#start-transfer').disabled = false;
  }
}

// ---------- disposition ----------

async function loadDispositionCodes() {
  try {
    const body = await api.get('/api/calls/disposition-codes');
    const codes = listOf(body, 'codes').map((c) => (typeof c === 'string' ? { code: c, label: labelOf(c) } : { code: c.code, label: c.label ?? labelOf(c.code) }));
    if (codes.length > 0) state.dispositionCodes = codes;
    if (body?.maxNoteLength) $('#disposition-note').maxLength = body.maxNoteLength;
  } catch { /* the three standard codes stay */ }
}

function showDisposition(callId) {
  state.dispositionFor = callId;
  const form = $('#disposition-form');
  form.reset();
  $('#disposition-error').textContent = '';
  $('#disposition-codes').replaceChildren(...state.dispositionCodes.map((c) => el('label', {},
    el('input', { type: 'radio', name: 'disposition-code', value: c.code }), ` ${c.label}`)));
  $('#disposition').dataset.callId = callId;
  $('#disposition').hidden = false;
  $('#disposition-title').setAttribute('tabindex', '-1');
  $('#disposition-title').focus();
}

async function saveDisposition(event) {
  event.preventDefault();
  const callId = state.dispositionFor;
  const chosen = document.querySelector('input[name=disposition-code]:checked');
  if (!chosen) {
    $('#disposition-error').textContent = 'Choose the outcome of the call.';
    return;
  }
  const note = $('#disposition-note').value.trim();
  try {
    await api.post(`/api/calls/${enc(callId)}/disposition`, { code: chosen.value, note: note || null });
    $('#disposition').hidden = true;
    state.dispositionFor = null;
    snackbar(`Outcome saved: ${chosen.parentElement.textContent.trim()}.`);
  } catch (e) {
    $('#disposition-error').textContent = explain(e, 'Saving the outcome');
  }
}

// ---------- follow-ups ----------

/** The unfinished items (open, then claimed), newest first; completed ones leave the list. */
async function loadFollowUps() {
  const status = $('#follow-ups-status');
  try {
    const [open, claimed] = await Promise.all(['open', 'claimed'].map((s) => api.get(`/api/follow-ups?status=${s}`)));
    const items = [...listOf(open, 'items'), ...listOf(claimed, 'items')]
      .sort((a, b) => (Date.parse(followUpTime(b)) || 0) - (Date.parse(followUpTime(a)) || 0));
    const ids = new Set(items.map((i) => i.id));
    for (const id of [...state.followUpMessages.keys()]) if (!ids.has(id)) state.followUpMessages.delete(id);
    $('#follow-up-list').replaceChildren(...items.map(renderFollowUp));
    status.textContent = items.length === 0 ? 'Nothing to follow up.' : `${items.length} to follow up.`;
  } catch (e) {
    status.textContent = explain(e, 'Listing follow-ups');
  }
}

function followUpTime(item) {
  return item.callbackRequestedAt ?? item.missedAt ?? '';
}

function renderFollowUp(item) {
  const id = item.id;
  const kinds = { missedCall: 'Missed call', callbackRequested: 'Callback requested' };
  const kind = kinds[item.kind] ?? labelOf(item.kind ?? 'missed call');
  const at = Date.parse(followUpTime(item));
  const claimedBy = item.claimedBy ?? null;
  const mine = claimedBy && claimedBy === state.me?.agentId;
  const who = customerName(item.customer);
  const number = customerNumber(item.customer);
  const error = el('p', { class: 'error', role: 'alert', text: state.followUpMessages.get(id) });
  const note = mine ? el('input', { type: 'text', maxlength: 1000, placeholder: 'Note (optional)', 'aria-label': `Note on ${who} (optional)` }) : null;
  const buttons = [];
  // The server decides who may claim or complete; a refusal is shown on the item and kept when the list reloads.
  const act = (verb, label, action, body) => el('button', {
    type: 'button', text: label,
    onclick: async () => {
      for (const button of buttons) button.disabled = true;
      state.followUpMessages.delete(id);
      error.textContent = '';
      try {
        await api.post(`/api/follow-ups/${enc(id)}/${verb}`, body?.());
        if (verb === 'complete') snackbar(`Follow-up completed: ${who}.`);
      } catch (e) {
        state.followUpMessages.set(id, explain(e, `${action} (${who})`));
      }
      await loadFollowUps();
      if (error.isConnected) {
        // The list could not be read again (its status says why): this item stays as it was, usable.
        error.textContent = state.followUpMessages.get(id) ?? '';
        for (const button of buttons) button.disabled = false;
      }
    },
  });
  if (!claimedBy) buttons.push(act('claim', 'Claim', 'Claiming the follow-up'));
  if (mine) buttons.push(act('complete', 'Complete', 'Completing the follow-up', () => ({ note: note.value.trim() || null })));
  if (number) {
    buttons.push(el('button', { type: 'button', text: 'Call back', onclick: () => { $('#dial-to').value = number; $('#dial-to').focus(); } }));
  }
  const standing = claimedBy ? `Claimed by ${mine ? 'you' : claimedBy}` : 'Open';
  return el('li', { class: 'follow-up', 'data-follow-up-id': id, 'data-status': item.status },
    el('p', {}, el('strong', { text: `${kind}: ${who}` }),
      number && number !== who ? ` ${number}` : null,
      Number.isNaN(at) ? null : ` · ${new Date(at).toLocaleString()}`),
    el('p', { class: 'hint', text: standing }),
    note,
    el('div', { class: 'actions' }, ...buttons),
    error);
}

// ---------- dial pad ----------

async function loadBusinessNumbers() {
  try {
    const body = await api.get('/api/agents/me/business-numbers');
    state.numbers = listOf(body, 'items', 'numbers', 'businessNumbers').map((n) => ({
      id: n.businessNumberId ?? n.phoneNumberId ?? n.id,
      label: [n.name ?? n.verifiedName, formatNumber(n.displayNumber ?? n.phoneNumber ?? n.number)].filter(Boolean).join(' ') || (n.businessNumberId ?? n.phoneNumberId ?? n.id),
    }));
    const unavailable = listOf(body, 'unavailable').map((n) => n.reason).filter(Boolean);
    state.numbersProblem = state.numbers.length === 0
      ? (unavailable[0] ?? 'No business number may place calls to customers.')
      : null;
  } catch (e) {
    state.numbers = [];
    state.numbersProblem = explain(e, 'Outbound calling');
  }
  const select = $('#business-number');
  select.replaceChildren(...state.numbers.map((n) => el('option', { value: n.id, text: n.label })));
  $('#business-number-choice').hidden = state.numbers.length < 2;
  $('#business-number-single').textContent = state.numbers.length === 1 ? `Calling from ${state.numbers[0].label}` : '';
  renderDialButton();
}

function renderDialButton() {
  const reason = state.call ? 'You are on a call. End it before placing another.'
    : state.dialing ? 'Placing the call…'
      : state.dialBlocked ?? state.numbersProblem
        ?? (state.me?.presence === 'offline' ? 'You are offline: choose Available or Away to place calls.' : null);
  $('#dial-call').disabled = Boolean(reason);
  $('#dial-reason').textContent = reason ?? '';
}

// Refusals about the agent themself (docs/API.md, "Outbound calls"): what to do about each, in the agent's words.
const AgentDialRefusals = {
  agentMayNotMakeCalls: 'Your account may not place calls to customers; an admin can allow it in the agent settings (then reload this page).',
  agentRestricted: 'Your calling is restricted; an admin can lift it in the agent settings (then reload this page).',
};

function buildKeypad() {
  const keypad = $('#keypad');
  for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '0', '⌫']) {
    const label = key === '⌫' ? 'Delete last digit' : key === '+' ? 'Plus' : undefined;
    keypad.append(el('button', {
      type: 'button', text: key, 'aria-label': label,
      onclick: () => {
        const input = $('#dial-to');
        input.value = key === '⌫' ? input.value.slice(0, -1) : input.value + key;
      },
    }));
  }
}

async function placeCall(event) {
  event.preventDefault();
  const error = $('#dial-error');
  error.textContent = '';
  const typed = $('#dial-to').value.trim();
  // A phone number in E.164 (spaces, dots, dashes and brackets allowed) or a BSUID (CC.… as follow-ups show it).
  const bsuid = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/.test(typed);
  const raw = bsuid ? typed : typed.replace(/[\s().-]/g, '');
  if (!bsuid && !/^\+?\d{6,15}$/.test(raw)) {
    error.textContent = "Enter the customer's WhatsApp number with its country code, e.g. +447700900123.";
    $('#dial-to').focus();
    return;
  }
  const businessNumberId = state.numbers.length > 1 ? $('#business-number').value : state.numbers[0]?.id;
  state.dialing = true;
  renderDialButton();
  let leg = null;
  try {
    leg = await openAgentLeg($('#remote-audio'), (mediaState) => { if (state.call?.leg === leg) renderMedia(mediaState); });
    const placed = await api.post('/api/calls', { businessNumberId, to: raw, sdpOffer: leg.sdpOffer });
    await leg.applyAnswer(placed.sdpAnswer);
    state.dialing = false;
    const customer = bsuid ? { contactKey: raw } : { phoneNumber: raw.replace(/^\+/, '') };
    startCall({ callId: placed.callId ?? placed.call?.callId, customer, leg, outbound: true, phase: placed.call?.phase });
  } catch (e) {
    leg?.close();
    state.dialing = false;
    const advice = AgentDialRefusals[e.problem?.reason];
    if (advice) state.dialBlocked = advice;
    error.textContent = explain(e, 'Placing the call');
    renderDialButton();
  }
}

// ---------- notifications ----------

const handlers = {
  incomingCall: (n) => {
    showCard('incoming', n, n.ringingUntil);
    if (!document.hasFocus()) document.title = `Incoming call · ${customerName(n.customer)}`;
  },
  callTaken: (n) => {
    if (state.cards.has(n.callId)) {
      removeCard(n.callId);
      snackbar(`Call answered by ${n.takenBy}.`);
    }
    if (state.call?.callId === n.callId && n.takenBy !== state.me?.agentId) callFinished(n.callId, false, `${n.takenBy} took over the call.`);
  },
  callWithdrawn: (n) => {
    if (!state.cards.has(n.callId)) return;
    removeCard(n.callId);
    const now = (n.nowRinging ?? []).join(', ');
    if (n.reason === 'ringMoved') snackbar(`The call stopped ringing here${now ? `: it now rings ${now}` : ''}.`);
  },
  placedCallProgress: (n) => advancePlacedCall(n.callId, n.phase),
  callEnded: (n) => {
    removeCard(n.callId);
    if (!state.call && state.dialing) state.placedProgress.set(n.callId, 'Ended');
    const who = endedByText(n.endedBy);
    const length = n.durationSeconds != null ? ` after ${formatDuration(n.durationSeconds)}` : '';
    if (state.call?.callId === n.callId || n.dispositionRequired) {
      callFinished(n.callId, n.dispositionRequired, who ? `Call ended by ${who}${length}.` : `The call ended${length}.`);
    }
  },
  missedCall: (n) => {
    removeCard(n.callId);
    snackbar(`Missed call from ${customerName(n.customer)}.`);
    loadFollowUps();
  },
  transferOffered: (n) => showCard('transfer', n, n.expiresAt),
  transferReverted: (n) => {
    if (n.toAgentId === state.me?.agentId) {
      removeCard(n.callId);
      snackbar({ timeout: 'The transfer offer expired.', cancelled: 'The call ended before you answered the transfer.' }[n.reason] ?? 'Transfer declined.');
    } else {
      const why = n.reason === 'timeout' ? 'did not answer within 30 seconds' : 'declined';
      snackbar(`${n.toAgentId} ${why}: the call stays with you.`);
    }
  },
  transferAccepted: (n) => {
    removeCard(n.callId);
    if (n.fromAgentId === state.me?.agentId && state.call?.callId === n.callId) {
      callFinished(n.callId, false, `${n.toAgentId} accepted the transfer: the customer is with them now.`);
    }
  },
  mediaLost: (n) => {
    if (state.call?.callId !== n.callId) return;
    const side = n.legId === 'meta' ? "The customer's audio" : 'Your audio';
    $('#call-error').textContent = `${side} was lost (${n.reason}). If it does not come back, end the call and call back.`;
  },
  transferFailed: (n) => snackbar(`Transfer to ${n.toAgentId} failed: ${n.message}`),
  permissionChanged: () => loadFollowUps(),
  followUp: () => loadFollowUps(),
  followUpUpdated: () => loadFollowUps(),
  balanceLow: (n) => snackbar(`The prepaid balance is low: $${n.balanceUsd} (minimum $${n.minimumUsd}).`),
};

// ---------- wiring ----------

$('#sign-in-form').addEventListener('submit', signIn);
$('#sign-out').addEventListener('click', () => signOut());
for (const radio of document.querySelectorAll('input[name=presence]')) radio.addEventListener('change', changePresence);
$('#end-call').addEventListener('click', endCall);
$('#mute').addEventListener('click', toggleMute);
$('#open-transfer').addEventListener('click', () => ($('#transfer-panel').hidden ? openTransferPanel() : closeTransferPanel()));
$('#cancel-transfer').addEventListener('click', closeTransferPanel);
$('#transfer-panel').addEventListener('submit', startTransfer);
$('#disposition-form').addEventListener('submit', saveDisposition);
$('#dial-form').addEventListener('submit', placeCall);
$('#refresh-follow-ups').addEventListener('click', loadFollowUps);
window.addEventListener('focus', () => { document.title = 'Agent console — WhatsApp calls'; });
buildKeypad();

$('#entra-button').addEventListener('click', () => beginEntraSignIn(state.signIn).catch((e) => { $('#sign-in-error').textContent = e.message; }));

/** Shows the sign-in this server offers: Microsoft, the development agents, or only a pasted token (with why). */
function showSignIn(config) {
  state.signIn = config;
  $('#sign-in-form').dataset.mode = config.mode;
  $('#entra-sign-in').hidden = config.mode !== 'entra';
  $('#dev-sign-in').hidden = config.mode !== 'development';
  $('#token-sign-in').open = config.mode === 'token';
  $('#sign-in-reason').hidden = !config.reason;
  $('#sign-in-reason').textContent = config.reason ?? '';
}

async function start() {
  showSignIn(await loadSignInConfig());
  if (state.signIn.mode === 'entra') {
    try {
      const token = await completeEntraSignIn(state.signIn);
      if (token) {
        state.token = token;
        sessionStorage.setItem(TokenKey, token);
      }
    } catch (e) {
      $('#sign-in-error').textContent = e.message;
    }
  }
  if (state.token) {
    await enterWorkspace().catch((e) => signOut(explain(e, 'Restoring your session')));
  }
}

start();
