import assert from "node:assert/strict";
import { test } from "node:test";
import { debounce, Revisions } from "../../extension/src/content/schedule.js";

/** A clock the test moves by hand. */
function fakeClock() {
  let now = 0;
  let next = 1;
  const timers = new Map();
  return {
    setTimeout(fn, ms) {
      timers.set(next, { fn, at: now + ms });
      return next++;
    },
    clearTimeout(id) {
      timers.delete(id);
    },
    advance(ms) {
      now += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.fn();
        }
      }
    },
  };
}

test("debounce runs once, delay after the last schedule", () => {
  const clock = fakeClock();
  let runs = 0;
  const later = debounce(() => runs++, 400, clock);
  later.schedule();
  clock.advance(300);
  later.schedule(); // a keystroke restarts the wait
  clock.advance(300);
  assert.equal(runs, 0);
  assert.equal(later.pending, true);
  clock.advance(100);
  assert.equal(runs, 1);
  assert.equal(later.pending, false);
});

test("cancel stops it, flush runs it now", () => {
  const clock = fakeClock();
  let runs = 0;
  const later = debounce(() => runs++, 400, clock);
  later.schedule();
  later.cancel();
  clock.advance(1000);
  assert.equal(runs, 0);
  later.schedule();
  later.flush();
  assert.equal(runs, 1);
  clock.advance(1000);
  assert.equal(runs, 1);
});

test("an answer for text that changed since its request is stale", () => {
  const revisions = new Revisions();
  revisions.update("I hope");
  const ticket = revisions.ticket();
  assert.equal(revisions.isCurrent(ticket), true);
  revisions.update("I hope this");
  assert.equal(revisions.isCurrent(ticket), false);
});

test("an edit undone back to the same text still makes older answers stale", () => {
  const revisions = new Revisions();
  revisions.update("abc");
  const ticket = revisions.ticket();
  revisions.update("abcd");
  revisions.update("abc");
  assert.equal(revisions.isCurrent(ticket), false);
  assert.equal(revisions.update("abc"), false); // no change, no new revision
  assert.equal(revisions.isCurrent(revisions.ticket()), true);
});
