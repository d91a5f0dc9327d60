// Every request to the tonecheck server, and every way one can fail, put in words.

const NETWORK_TIMEOUT_MS = 10_000;

/**
 * Calls the server; resolves to {ok: true, status, data, headers} or
 * {ok: false, error: {code, message, status?}}. Never rejects.
 */
export async function callServer(settings, method, path, { body, signal, headers = {}, auth = true } = {}) {
  if (auth && !settings.token) {
    return failure("no_token", "No token is set: open tonecheck's options and paste the token your lead gave you.");
  }
  const url = `${settings.serverUrl}${path}`;
  const timeout = AbortSignal.timeout(NETWORK_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(auth ? { Authorization: `Bearer ${settings.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: combined,
      credentials: "omit",
      cache: "no-store",
    });
  } catch (error) {
    if (signal?.aborted) return failure("aborted", "The check was replaced by a newer one.");
    if (timeout.aborted) return failure("timeout", `The tonecheck server at ${settings.serverUrl} did not answer within ${NETWORK_TIMEOUT_MS / 1000} s.`);
    return failure("unreachable", `Cannot reach the tonecheck server at ${settings.serverUrl}: is it running? (${error?.message ?? error})`);
  }
  if (response.status === 304) return { ok: true, status: 304, data: null, headers: response.headers };
  let data = null;
  try {
    data = await response.json();
  } catch {
    if (signal?.aborted) return failure("aborted", "The check was replaced by a newer one.");
    return failure("bad_response", `The server at ${settings.serverUrl} answered ${response.status} with something that is not JSON: is that URL a tonecheck server?`, response.status);
  }
  if (response.ok) return { ok: true, status: response.status, data, headers: response.headers };
  return failure(codeFor(response.status, data), describe(response, data, settings), response.status);
}

function codeFor(status, data) {
  return data?.error?.code ?? { 401: "unauthorized", 403: "forbidden", 429: "rate_limited" }[status] ?? `http_${status}`;
}

function describe(response, data, settings) {
  const said = data?.error?.message ? `: ${data.error.message}` : "";
  switch (response.status) {
    case 401:
      return `The server refused the token (401${said}). Check the token in tonecheck's options.`;
    case 403:
      return `This token may not do that (403${said}). Ask your lead for an agent token.`;
    case 429: {
      const wait = response.headers.get("Retry-After");
      return `Too many checks (429${said}).${wait ? ` Checking again is possible in ${wait} s.` : ""}`;
    }
    default:
      return `The server at ${settings.serverUrl} answered ${response.status}${said}.`;
  }
}

function failure(code, message, status) {
  return { ok: false, error: { code, message, ...(status === undefined ? {} : { status }) } };
}
