// SignalR notifications (docs/API.md, "Notifications (SignalR)"): POST /api/negotiate answers {url, accessToken},
// which the client follows, so the same code reaches the local hub and Azure SignalR Service. The client only listens.

const RetryDelaysMs = [0, 2000, 5000, 10000, 20000, 30000];

/**
 * Connects and keeps connecting. onState(state, info) gets 'connecting' | 'connected' | 'reconnecting' |
 * 'disconnected'; info.reconnected is true after a drop, when the console must re-read its state over REST
 * because messages sent meanwhile are not replayed.
 */
export function connectNotifications({ getToken, handlers, onState }) {
  const signalR = window.signalR;
  if (!signalR) {
    onState('disconnected', { error: new Error('The SignalR client script is missing (vendor/signalr.min.js); run npm ci and rebuild.') });
    return { stop() {} };
  }
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(new URL('/api', window.location.origin).href, { accessTokenFactory: () => getToken() })
    .withAutomaticReconnect(RetryDelaysMs)
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  for (const [name, handler] of Object.entries(handlers)) connection.on(name, handler);

  let stopped = false;
  let attempt = 0;
  let retry = null;

  connection.onreconnecting(() => onState('reconnecting'));
  connection.onreconnected(() => { attempt = 0; onState('connected', { reconnected: true }); });
  // After automatic reconnection gives up, keep trying from scratch with a growing delay.
  connection.onclose((error) => {
    if (stopped) return;
    onState('disconnected', { error });
    schedule(true);
  });

  async function start(reconnected) {
    retry = null;
    onState('connecting');
    try {
      await connection.start();
      attempt = 0;
      onState('connected', { reconnected });
    } catch (error) {
      if (stopped) return;
      onState('disconnected', { error });
      schedule(reconnected);
    }
  }

  function schedule(reconnected) {
    const delay = RetryDelaysMs[Math.min(++attempt, RetryDelaysMs.length - 1)];
    retry = setTimeout(() => start(reconnected), delay);
  }

  start(false);
  return {
    stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      return connection.stop();
    },
  };
}
