// The console's only way to the server: JSON over fetch with the agent's bearer token, RFC 9457 problems turned
// into sentences an agent can act on (docs/API.md).

/** A refused or failed request: the HTTP status and the problem body (detail, reason, field…). */
export class ApiError extends Error {
  constructor(status, problem, path) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.path = path;
  }
}

export function createApi(getToken, onUnauthorized) {
  async function send(method, path, body) {
    const headers = { Accept: 'application/json' };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, { title: 'Network error', detail: 'The server could not be reached. Check the connection and try again.' }, path);
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try { json = JSON.parse(text); } catch { json = { detail: text.slice(0, 200) }; }
    }
    if (!response.ok) {
      if (response.status === 401 && onUnauthorized) onUnauthorized();
      throw new ApiError(response.status, json, path);
    }
    return json;
  }

  return {
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body ?? {}),
    put: (path, body) => send('PUT', path, body),
  };
}

function fieldMessage(problem) {
  const errors = problem?.errors;
  if (errors && typeof errors === 'object') {
    const first = Object.values(errors).flat()[0];
    if (first) return String(first);
  }
  return null;
}

/** One sentence for the agent: what failed and why, from the problem's detail where the server gave one. */
export function explain(error, action) {
  if (!(error instanceof ApiError)) return `${action} failed: ${error?.message ?? error}`;
  let detail = error.problem.detail || fieldMessage(error.problem);
  // Several blockers (consent, billing, the agent's state) come as reasons[]: name each once.
  const more = (Array.isArray(error.problem.reasons) ? error.problem.reasons : [])
    .map((r) => r?.message).filter((m) => m && m !== detail && !detail?.includes(m));
  if (more.length > 0) detail = [detail, ...new Set(more)].filter(Boolean).join(' ');
  switch (error.status) {
    case 0: return `${action} failed: ${detail}`;
    case 401: return 'Your sign-in has expired. Sign in again.';
    case 403: return `${action} is not allowed for your account.${detail ? ' ' + detail : ''}`;
    case 404:
    case 405:
      // An unmapped route answers 404 without a detail: the feature is not deployed on this server.
      return detail && error.problem.title !== 'Not Found'
        ? `${action}: ${detail}`
        : `${action} is not available on this server yet (the route ${error.path} answered ${error.status}).`;
    case 409: return `${action} was refused: ${detail ?? 'the call changed in the meantime.'}`;
    case 422: return `${action} was refused: ${detail ?? 'the request cannot be carried out.'}`;
    case 400: return `${action}: ${detail ?? 'the request was not valid.'}`;
    case 502:
    case 503: return `${action} failed because a service did not answer: ${detail ?? 'try again in a moment.'}`;
    default: return `${action} failed (${error.status})${detail ? ': ' + detail : '.'}`;
  }
}

/** Lists come back either as an array or wrapped ({items}, {targets}…); the console accepts both. */
export function listOf(body, ...keys) {
  if (Array.isArray(body)) return body;
  for (const key of keys) {
    if (Array.isArray(body?.[key])) return body[key];
  }
  return [];
}
