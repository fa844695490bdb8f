// A fake clock and timers for the events batcher tests: time moves only when a test advances it.
export class FakeClock {
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
    this.timers = new Map();
    this.nextId = 1;
    this.now = () => this.t;
    this.setTimeout = (fn, ms = 0) => this.#add(fn, ms, 0);
    this.setInterval = (fn, ms = 0) => this.#add(fn, ms, Math.max(1, ms));
    this.clearTimeout = (id) => void this.timers.delete(id);
    this.clearInterval = (id) => void this.timers.delete(id);
  }

  #add(fn, ms, every) {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn, every });
    return id;
  }

  /** Lets pending promise callbacks (a send() resolving) run. */
  async settle() {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Moves time forward by `ms`, firing due timers in order and settling promises after each. */
  async advance(ms) {
    const end = this.t + ms;
    await this.settle();
    for (;;) {
      let next = null;
      for (const [id, tm] of this.timers) if (tm.at <= end && (!next || tm.at < next[1].at)) next = [id, tm];
      if (!next) break;
      const [id, tm] = next;
      this.t = Math.max(this.t, tm.at);
      if (tm.every) tm.at += tm.every;
      else this.timers.delete(id);
      tm.fn();
      await this.settle();
    }
    this.t = end;
    await this.settle();
  }
}
