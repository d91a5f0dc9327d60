import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultSiteFor, hostOf, isSiteEnabled } from "../../extension/src/shared/sites.js";

test("helpdesks are on by default, subdomains included", () => {
  assert.equal(isSiteEnabled("acme.zendesk.com"), true);
  assert.equal(isSiteEnabled("mail.google.com"), true);
  assert.equal(defaultSiteFor("secure.helpscout.net"), "helpscout.net");
  assert.equal(isSiteEnabled("example.com"), false);
  assert.equal(isSiteEnabled("notzendesk.com"), false);
});

test("the agent's switch wins over the default list", () => {
  assert.equal(isSiteEnabled("acme.zendesk.com", { "acme.zendesk.com": false }), false);
  assert.equal(isSiteEnabled("127.0.0.1", { "127.0.0.1": true }), true);
});

test("pages without a host are never enabled", () => {
  assert.equal(hostOf("about:blank"), "");
  assert.equal(hostOf("not a url"), "");
  assert.equal(isSiteEnabled(""), false);
  assert.equal(hostOf("http://127.0.0.1:8000/x.html"), "127.0.0.1");
});
