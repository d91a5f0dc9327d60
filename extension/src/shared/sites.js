// Where tonecheck runs: helpdesks by default, plus the sites the agent switches on.

export const DEFAULT_SITES = Object.freeze([
  "zendesk.com",
  "freshdesk.com",
  "freshservice.com",
  "helpscout.net",
  "intercom.com",
  "frontapp.com",
  "front.com",
  "mail.google.com",
  "outlook.office.com",
  "outlook.office365.com",
  "outlook.live.com",
  "gorgias.com",
  "kustomerapp.com",
  "helpshift.com",
  "kayako.com",
  "hubspot.com",
  "service-now.com",
  "salesforce.com",
  "lightning.force.com",
]);

/** A host name from a URL, or "" for URLs without one (about:blank, data:). */
export function hostOf(url) {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return "";
  }
}

/** The default-list entry that covers `host` (the host itself or a parent domain), or null. */
export function defaultSiteFor(host) {
  return DEFAULT_SITES.find((site) => host === site || host.endsWith(`.${site}`)) ?? null;
}

/**
 * Whether tonecheck runs on `host`: the agent's own switch for that host wins, then the
 * default list. `overrides` maps host → true/false.
 */
export function isSiteEnabled(host, overrides = {}) {
  if (!host) return false;
  if (Object.hasOwn(overrides, host)) return overrides[host] === true;
  return defaultSiteFor(host) !== null;
}
