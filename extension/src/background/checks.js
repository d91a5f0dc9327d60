// /v1/check and /v1/feedback on behalf of content scripts. A newer check from the same editor
// aborts the older one still in flight; text goes only to the configured server, only from
// enabled sites.
import { hostOf } from "../shared/sites.js";
import { callServer } from "./server.js";
import { loadSettings, siteEnabled } from "./settings.js";
import { browserApi as api } from "../shared/browser.js";

const inFlight = new Map();

const keyFor = (message, sender) => `${sender.tab?.id}:${sender.frameId}:${message.editorKey}`;

async function enabledHost(sender) {
  const host = hostOf(sender.tab?.url ?? "");
  return (await siteEnabled(host)) ? host : null;
}

const siteOff = { ok: false, error: { code: "site_disabled", message: "tonecheck is off for this site." } };

export async function check(message, sender) {
  const key = keyFor(message, sender);
  inFlight.get(key)?.abort();
  const controller = new AbortController();
  inFlight.set(key, controller);
  try {
    const host = await enabledHost(sender);
    if (host === null) return siteOff;
    const settings = await loadSettings();
    const body = { text: String(message.text ?? ""), site: host };
    if (message.draftId) body.draft_id = String(message.draftId);
    const reply = await callServer(settings, "POST", "/v1/check", { body, signal: controller.signal });
    if (!reply.ok) return reply;
    if (sender.tab?.id !== undefined) await rememberScores(sender.tab.id, host, reply.data);
    return { ok: true, result: reply.data };
  } finally {
    if (inFlight.get(key) === controller) inFlight.delete(key);
  }
}

export function cancelCheck(message, sender) {
  const key = keyFor(message, sender);
  inFlight.get(key)?.abort();
  inFlight.delete(key);
  return { ok: true };
}

export async function feedback(message, sender) {
  if ((await enabledHost(sender)) === null) return siteOff;
  const settings = await loadSettings();
  const body = {
    text: String(message.text ?? ""),
    start: Number(message.start),
    end: Number(message.end),
    verdict: message.verdict === "useful" ? "useful" : "not_a_hedge",
  };
  if (message.draftId) body.draft_id = String(message.draftId);
  const reply = await callServer(settings, "POST", "/v1/feedback", { body });
  return reply.ok ? { ok: true, id: reply.data?.id } : reply;
}

async function rememberScores(tabId, host, result) {
  const area = api.storage.session ?? api.storage.local;
  await area.set({
    [`scores:${tabId}`]: { host, scores: result.scores, overall: result.overall, modelVersion: result.model_version, at: Date.now() },
  });
}

export async function lastScores(tabId) {
  const area = api.storage.session ?? api.storage.local;
  const key = `scores:${tabId}`;
  return (await area.get(key))[key] ?? null;
}
