// Identity switcher: development accounts, clearly not wallets.
import { DEV_KEY_NOTICE } from '../identities.js';
import { h, replace } from './dom.js';

export function mountIdentity(el, { identities }) {
  function render() {
    const active = identities.active();
    const select = h(
      'select',
      { testid: 'identity-select', 'aria-label': 'Acting as', onchange: (e) => identities.switchTo(e.target.value) },
      identities.all().map((i) => h('option', { value: i.address, selected: i.address === active.address }, `${i.label} (${i.address.slice(0, 6)}…${i.address.slice(-4)})`)),
    );
    replace(
      el,
      h('label', { class: 'field inline' }, h('span', {}, 'Acting as'), select),
      h('span', { class: 'badge dev', testid: 'dev-key-notice', title: 'A throwaway key generated in this browser and kept in localStorage. Never use it for real funds.' }, DEV_KEY_NOTICE),
      h('code', { class: 'address', testid: 'active-address' }, active.address),
      h('button', { type: 'button', class: 'secondary', testid: 'add-identity', onclick: () => identities.add() }, '+ Dev identity'),
    );
  }
  identities.onChange(render);
  render();
}
