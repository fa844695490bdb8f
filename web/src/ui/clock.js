// Clock control: shows the app's time and moves it forward so statuses can change without waiting.
import { h, replace } from './dom.js';

function formatOffset(ms) {
  if (!ms) return 'real time';
  const sign = ms < 0 ? '−' : '+';
  let m = Math.round(Math.abs(ms) / 60000);
  const d = Math.floor(m / 1440);
  m -= d * 1440;
  const hr = Math.floor(m / 60);
  m -= hr * 60;
  return `${sign}${d ? `${d}d ` : ''}${hr ? `${hr}h ` : ''}${m}m`.trim();
}

export function mountClock(el, { clock }) {
  const nowEl = h('time', { testid: 'clock-now' });
  const offsetEl = h('span', { class: 'offset', testid: 'clock-offset' });
  const minutes = h('input', { type: 'number', step: '1', testid: 'clock-offset-input', 'aria-label': 'Clock offset in minutes', class: 'narrow' });
  const tick = () => {
    nowEl.textContent = new Date(clock.now()).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    offsetEl.textContent = formatOffset(clock.offsetMs());
    nowEl.dateTime = new Date(clock.now()).toISOString();
  };
  const step = (label, ms, testid) => h('button', { type: 'button', class: 'secondary', testid, onclick: () => clock.advance(ms) }, label);
  replace(
    el,
    h('span', { class: 'label' }, 'App clock'),
    nowEl,
    h('span', { class: 'badge' }, offsetEl),
    step('+15 min', 15 * 60000, 'clock-plus-15m'),
    step('+1 h', 3600000, 'clock-plus-1h'),
    step('+1 day', 86400000, 'clock-plus-1d'),
    h(
      'form',
      {
        class: 'inline',
        onsubmit: (e) => {
          e.preventDefault();
          const v = Number(minutes.value);
          if (Number.isFinite(v)) clock.setOffset(v * 60000);
        },
      },
      minutes,
      h('button', { type: 'submit', class: 'secondary', testid: 'clock-set' }, 'Set offset (min)'),
    ),
    h('button', { type: 'button', class: 'secondary', testid: 'clock-reset', onclick: () => clock.reset() }, 'Reset'),
  );
  clock.onChange(() => {
    minutes.value = String(Math.round(clock.offsetMs() / 60000));
    tick();
  });
  minutes.value = String(Math.round(clock.offsetMs() / 60000));
  tick();
  setInterval(tick, 1000);
}
