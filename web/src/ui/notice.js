// The message bar: the last action's outcome. Failures show the ConveneError code and message.
import { describeError } from '../errors.js';
import { h, replace } from './dom.js';

export function mountNotice(el) {
  return {
    ok(text) {
      el.className = 'notice ok';
      replace(el, h('span', { testid: 'notice-ok' }, text));
    },
    error(err, context) {
      const { code, message } = describeError(err);
      el.className = 'notice error';
      replace(
        el,
        h('strong', { testid: 'error-code' }, code),
        ' ',
        h('span', { testid: 'error-message' }, context ? `${context}: ${message}` : message),
      );
    },
    clear() {
      el.className = 'notice';
      replace(el);
    },
  };
}

/**
 * Runs an action with the button disabled, reports success or the error, never throws.
 * @returns {Promise<boolean>} whether it succeeded
 */
export async function runAction(notice, button, label, fn) {
  const old = button?.textContent;
  if (button) {
    button.dataset.working = '1'; // web/src/ui/wallet.js guardWrites keeps it disabled while running
    button.disabled = true;
    button.textContent = 'Working…';
  }
  document.body.dataset.busy = String(Number(document.body.dataset.busy || 0) + 1);
  try {
    const message = await fn();
    notice.ok(message || `${label}: done`);
    return true;
  } catch (err) {
    console.warn(label, err); // shown in the notice bar; a warning, not a page error
    notice.error(err, label);
    return false;
  } finally {
    document.body.dataset.busy = String(Number(document.body.dataset.busy) - 1);
    if (button) delete button.dataset.working;
    if (button && button.isConnected) {
      button.disabled = false;
      button.textContent = old;
    }
  }
}
