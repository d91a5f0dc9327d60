// When to ask the server, and which answers still count.

/**
 * A debounced call: `schedule()` (re)starts the timer, `cancel()` stops it, `flush()` runs it
 * now. The clock is injectable so tests run without waiting.
 */
export function debounce(run, delayMs, clock = globalThis) {
  let timer = null;
  const fire = () => {
    timer = null;
    run();
  };
  return {
    schedule(delay = delayMs) {
      if (timer !== null) clock.clearTimeout(timer);
      timer = clock.setTimeout(fire, delay);
    },
    cancel() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
    flush() {
      if (timer === null) return;
      clock.clearTimeout(timer);
      fire();
    },
    get pending() {
      return timer !== null;
    },
  };
}

/**
 * Tracks the editor's text revisions. `begin(text)` gives a ticket for a request; an answer is
 * current only when no edit came after its ticket and the text is still the one that was sent.
 */
export class Revisions {
  constructor() {
    this.revision = 0;
    this.text = "";
  }

  /** Records an edit; returns true when the text really changed. */
  update(text) {
    if (text === this.text) return false;
    this.text = text;
    this.revision += 1;
    return true;
  }

  ticket() {
    return { revision: this.revision, text: this.text };
  }

  isCurrent(ticket) {
    return ticket.revision === this.revision && ticket.text === this.text;
  }
}
