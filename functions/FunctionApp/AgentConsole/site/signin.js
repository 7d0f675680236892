// How the console signs an agent in, as the server says (GET /api/auth/config): with Microsoft Entra ID in Azure,
// the development agents locally, or a pasted access token. Entra sign-in is the authorization code flow with PKCE
// (RFC 7636) for a single-page app: the page goes to the authority's authorize endpoint and comes back with a code,
// which it exchanges, with the verifier only it knows, at the token endpoint. No library is needed for that.

const PendingKey = 'agentConsole.entraPending';

/** The server's sign-in mode; a server too old to say is treated as local development. */
export async function loadSignInConfig() {
  try {
    const response = await fetch('/api/auth/config', { headers: { Accept: 'application/json' } });
    if (response.ok) return await response.json();
  } catch {
    // Unreachable server: the sign-in form says so when it is used.
  }
  return { mode: 'development', scopes: [] };
}

function base64Url(bytes) {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomText = (length) => base64Url(crypto.getRandomValues(new Uint8Array(length)));

// The console's own address, registered as the app registration's SPA redirect URI.
const redirectUri = () => `${location.origin}${location.pathname}`;

async function discover(authority) {
  let response;
  try {
    response = await fetch(`${authority}/.well-known/openid-configuration`);
  } catch {
    throw new Error(`The Microsoft sign-in service (${authority}) could not be reached. Check the connection and try again.`);
  }
  if (!response.ok) throw new Error(`The Microsoft sign-in service (${authority}) answered HTTP ${response.status}.`);
  return response.json();
}

/** Leaves for Microsoft's sign-in page; the browser comes back to this page with a code. */
export async function beginEntraSignIn(config) {
  const metadata = await discover(config.authority);
  const verifier = randomText(32);
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = randomText(16);
  sessionStorage.setItem(PendingKey, JSON.stringify({ verifier, state, tokenEndpoint: metadata.token_endpoint }));
  const query = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    response_mode: 'query',
    redirect_uri: redirectUri(),
    scope: config.scopes.join(' '),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  location.assign(`${metadata.authorization_endpoint}?${query}`);
}

/**
 * When this page is Microsoft's reply, exchanges the code for an access token; null when it is not a reply.
 * Throws an Error whose message is the sentence to show.
 */
export async function completeEntraSignIn(config) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return null;
  const pending = JSON.parse(sessionStorage.getItem(PendingKey) ?? 'null');
  sessionStorage.removeItem(PendingKey);
  history.replaceState(null, '', redirectUri());
  if (params.has('error')) {
    throw new Error(`Microsoft sign-in did not complete: ${params.get('error_description') ?? params.get('error')}`);
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('This sign-in reply does not belong to a sign-in started on this page. Sign in again.');
  }
  const body = new URLSearchParams({
    client_id: config.clientId,
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: redirectUri(),
    code_verifier: pending.verifier,
    scope: config.scopes.join(' '),
  });
  let response;
  try {
    response = await fetch(pending.tokenEndpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  } catch {
    throw new Error('The Microsoft sign-in service could not be reached to finish signing in. Try again.');
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok || !json.access_token) {
    throw new Error(`Microsoft sign-in did not complete: ${json.error_description ?? json.error ?? `HTTP ${response.status}`}`);
  }
  return json.access_token;
}
