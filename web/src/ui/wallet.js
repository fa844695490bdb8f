// Wallet bar: which wallet acts, locked or unlocked, unlock with the passphrase (Argon2id in WASM,
// shown as "Unlocking…"), Lock, auto-lock delay, and a form for a new wallet.
import { h, replace } from './dom.js';
import { runAction } from './notice.js';

const REASONS = { idle: 'after inactivity', hidden: 'when the page was hidden', manual: 'by you', switch: 'when switching wallets' };

export function mountWallet(el, { identities, notice }) {
  let showNew = false;

  function newWalletForm(busy) {
    const name = h('input', { testid: 'wallet-new-name', placeholder: 'Name (only in this browser)', 'aria-label': 'Wallet name', autocomplete: 'off' });
    const pass = h('input', { type: 'password', testid: 'wallet-new-passphrase', placeholder: 'Passphrase', 'aria-label': 'Passphrase', autocomplete: 'new-password' });
    const confirm = h('input', { type: 'password', testid: 'wallet-new-confirm', placeholder: 'Repeat passphrase', 'aria-label': 'Repeat passphrase', autocomplete: 'new-password' });
    const create = h('button', { type: 'submit', testid: 'wallet-create', disabled: Boolean(busy) }, 'Create wallet');
    return h(
      'form',
      {
        class: 'inline wallet-new',
        testid: 'wallet-new-form',
        onsubmit: async (e) => {
          e.preventDefault();
          if (pass.value !== confirm.value) {
            notice.error({ code: 'PASSPHRASE_MISMATCH', message: 'the two passphrases differ' }, 'Create wallet');
            return;
          }
          const label = name.value;
          const ok = await runAction(notice, create, 'Create wallet', async () => {
            const address = await identities.create(label, pass.value);
            return `Wallet “${identities.labelOf(address)}” created (${address}); its sealed keystore is kept in this browser's IndexedDB. It is unlocked.`;
          });
          if (ok) showNew = false;
          render();
        },
      },
      name,
      pass,
      confirm,
      create,
    );
  }

  function render() {
    const busy = identities.busy;
    const all = identities.all();
    const active = identities.active();
    const parts = [];
    if (identities.testKdf) {
      const k = identities.kdf;
      parts.push(
        h('div', { class: 'kdf-banner', testid: 'kdf-test-banner' }, `Test setting (?kdf=interactive): new wallets use cheap Argon2id (${k.opslimit} pass, ${k.memlimitKiB} KiB). Not for real keys.`),
      );
    }
    if (all.length) {
      const select = h(
        'select',
        { testid: 'identity-select', 'aria-label': 'Acting as', disabled: Boolean(busy), onchange: (e) => identities.switchTo(e.target.value) },
        all.map((i) => h('option', { value: i.address, selected: i.address === active.address }, `${i.label} (${i.address.slice(0, 6)}…${i.address.slice(-4)})`)),
      );
      parts.push(
        h('label', { class: 'field inline' }, h('span', {}, 'Acting as'), select),
        h('span', { class: `badge ${active.locked ? 'bad' : 'ok'}`, testid: 'wallet-state' }, busy ? 'locked' : active.locked ? 'locked' : 'unlocked'),
        h('code', { class: 'address', testid: 'active-address' }, active.address),
      );
      if (busy) {
        parts.push(h('span', { class: 'busy', testid: 'wallet-busy', role: 'status' }, `${busy} (Argon2id in WASM, about a second)`));
      } else if (active.locked) {
        const pass = h('input', { type: 'password', testid: 'wallet-passphrase', placeholder: 'Passphrase', 'aria-label': `Passphrase of ${active.label}`, autocomplete: 'current-password' });
        const unlock = h('button', { type: 'submit', testid: 'wallet-unlock' }, 'Unlock');
        const last = identities.lastLock;
        parts.push(
          h(
            'form',
            {
              class: 'inline',
              testid: 'wallet-unlock-form',
              onsubmit: async (e) => {
                e.preventDefault();
                await runAction(notice, unlock, 'Unlock', async () => {
                  await identities.unlock(pass.value);
                  return `${active.label}'s wallet is unlocked; it locks after ${identities.idleMinutes} min without activity.`;
                });
                render();
              },
            },
            pass,
            unlock,
          ),
          h('span', { class: 'locked-why', testid: 'wallet-locked-notice' }, `Locked${last ? ` ${REASONS[last.reason] || ''}` : ''}: write actions are disabled until you unlock.`),
        );
      } else {
        const minutes = h('input', { type: 'number', min: '0', step: 'any', value: String(identities.idleMinutes), class: 'narrow', testid: 'wallet-idle-minutes', 'aria-label': 'Auto-lock after minutes' });
        parts.push(
          h('button', { type: 'button', class: 'secondary', testid: 'wallet-lock', onclick: () => identities.lock() }, 'Lock'),
          h(
            'form',
            {
              class: 'inline',
              novalidate: true,
              onsubmit: (e) => {
                e.preventDefault();
                identities.setIdleMinutes(minutes.value);
                notice.ok(`${active.label}'s wallet locks after ${identities.idleMinutes} min without activity.`);
              },
            },
            h('label', { class: 'field inline' }, h('span', {}, 'Auto-lock after'), minutes, h('span', {}, 'min idle')),
            h('button', { type: 'submit', class: 'secondary', testid: 'wallet-idle-set' }, 'Set'),
          ),
        );
      }
    } else {
      parts.push(h('strong', { testid: 'no-wallet' }, 'No wallet in this browser yet: create one to act.'));
      if (busy) parts.push(h('span', { class: 'busy', testid: 'wallet-busy', role: 'status' }, `${busy} (Argon2id in WASM, about a second)`));
    }
    if (showNew || !all.length) parts.push(newWalletForm(busy));
    else parts.push(h('button', { type: 'button', class: 'secondary', testid: 'wallet-new', disabled: Boolean(busy), onclick: () => { showNew = true; render(); } }, '+ New wallet'));
    replace(el, parts);
    el.dataset.state = busy ? 'busy' : active.locked ? 'locked' : 'unlocked';
  }
  identities.onChange(render);
  render();
}

/**
 * Disables every write control ([data-write]) while the active wallet is locked and says why in its
 * title; controls blocked for their own reason carry data-blocked="1", running ones data-working="1".
 */
export function guardWrites(root, identities) {
  function sync() {
    const id = identities.active();
    const why = identities.busy
      ? identities.busy
      : id.locked
        ? identities.all().length
          ? `Locked: unlock ${id.label}'s wallet to sign this`
          : 'No wallet: create one to sign this'
        : '';
    for (const b of root.querySelectorAll('[data-write]')) {
      if (b.dataset.title === undefined) b.dataset.title = b.title || '';
      const want = Boolean(why) || b.dataset.blocked === '1' || b.dataset.working === '1';
      if (b.disabled !== want) b.disabled = want;
      const title = why || b.dataset.title;
      if (b.title !== title) b.title = title;
    }
    document.body.dataset.wallet = why ? 'locked' : 'unlocked';
  }
  new MutationObserver(sync).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled', 'data-blocked', 'data-working'] });
  identities.onChange(sync);
  sync();
  return sync;
}
