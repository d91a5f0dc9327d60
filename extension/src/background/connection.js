// The options page's "Test connection": health first (is a tonecheck server there?), then an
// authenticated call (is the token good?), so the message says which of the two is wrong.
import { callServer } from "./server.js";
import { loadSettings } from "./settings.js";

export async function testConnection(message) {
  const saved = await loadSettings();
  const settings = {
    ...saved,
    serverUrl: message.serverUrl ? String(message.serverUrl).replace(/\/+$/, "") : saved.serverUrl,
    token: message.token !== undefined ? String(message.token).trim() : saved.token,
  };
  const health = await callServer(settings, "GET", "/v1/health", { auth: false });
  if (!health.ok) return health;
  const lexicon = await callServer(settings, "GET", "/v1/lexicon");
  if (!lexicon.ok) return lexicon;
  return {
    ok: true,
    status: health.data.status,
    modelVersion: health.data.model_version,
    lexiconVersion: lexicon.data?.version ?? null,
  };
}
