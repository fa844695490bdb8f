// Form building blocks: a labelled field with its inline error, the form's own status line, buttons
// that show their work where they are, and the hint that says why writing is not possible.
import { Children, cloneElement, isValidElement, useId } from 'react';
import { Link } from 'react-router-dom';
import { useAction, useWallets, writeBlock } from '../app/context.js';

/**
 * A label, one control and the control's inline error (aria-describedby, aria-invalid).
 * The error is an explain() result whose `field` is `name`.
 */
export function Field({ name, label, error, hint, children, className = '', inline = false }) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : undefined;
  const mine = error && error.field === name ? error : null;
  const child = Children.only(children);
  const control = isValidElement(child)
    ? cloneElement(child, {
        id: child.props.id || id,
        name: child.props.name || name,
        'aria-invalid': mine ? 'true' : undefined,
        'aria-describedby': [hintId, mine ? errorId : null].filter(Boolean).join(' ') || undefined,
      })
    : child;
  return (
    <div className={`field${inline ? ' inline' : ''}${mine ? ' invalid' : ''} ${className}`.trim()}>
      <label htmlFor={child.props.id || id}>{label}</label>
      {control}
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      <span className="field-error" id={errorId} aria-live="polite" data-testid={mine ? 'field-error' : undefined} data-field={mine ? name : undefined} data-code={mine ? mine.code : undefined}>
        {mine ? mine.text : ''}
      </span>
    </div>
  );
}

/**
 * The outcome of a form's action, in place: success, or an error that names no field of the form
 * (errors that do are shown at their field; this line then says where to look).
 */
export function FormStatus({ state, testid = 'form-status' }) {
  const { ok, error, busy } = state;
  let body = null;
  if (busy) body = null;
  else if (error && error.field) body = <span className="msg-error">Please check the field marked below.</span>;
  else if (error)
    body = (
      <span className="msg-error" data-testid="form-error" data-code={error.code}>
        {error.text}
      </span>
    );
  else if (ok)
    body = (
      <span className="msg-ok" data-testid="form-ok">
        {ok}
      </span>
    );
  return (
    <p className="form-status" role="status" aria-live="polite" data-testid={testid}>
      {body}
    </p>
  );
}

/** The visible reason writing is off (a locked or missing wallet), with the way out. */
export function LockedHint({ what = 'do this' }) {
  const identities = useWallets();
  const why = writeBlock(identities);
  if (!why || identities.busy) return null;
  const none = !identities.all().length;
  return (
    <p className="locked-why" data-testid="locked-hint">
      {none ? (
        <>
          You need a wallet to {what}: <Link to="/welcome">create one</Link> (it takes a moment).
        </>
      ) : (
        <>
          {identities.active().label}’s wallet is locked: unlock it (top of the page) to {what}.
        </>
      )}
    </p>
  );
}

/**
 * A button for a write: disabled (with the reason as its title) while no wallet is unlocked or while
 * its own work runs, and then labelled `busyLabel`.
 */
export function WriteButton({ busy, busyLabel = 'Working…', children, disabled, title, className = '', testid, type = 'button', onClick, blocked }) {
  const identities = useWallets();
  const why = writeBlock(identities);
  const off = Boolean(why) || busy || disabled || blocked;
  return (
    <button
      type={type}
      className={className}
      data-testid={testid}
      data-write="1"
      disabled={off}
      aria-busy={busy ? 'true' : undefined}
      title={why || title || undefined}
      onClick={onClick}
    >
      {busy ? busyLabel : children}
    </button>
  );
}

/**
 * A write button with its own outcome next to it ("RSVP sent", or the error in words).
 * `action` returns the success sentence; `before` may return false to stop (a confirm dialog).
 */
export function ActionButton({ action, before, children, busyLabel, className, testid, disabled, title, labels, resultTestid }) {
  const [run, state] = useAction();
  const onClick = async () => {
    if (before && !(await before())) return;
    await run(action, { labels });
  };
  return (
    <span className="action">
      <WriteButton busy={state.busy} busyLabel={busyLabel} className={className} testid={testid} disabled={disabled} title={title} onClick={onClick}>
        {children}
      </WriteButton>
      <span className="action-result" role="status" aria-live="polite" data-testid={resultTestid || (testid ? `${testid}-result` : undefined)}>
        <Outcome state={state} />
      </span>
    </span>
  );
}

/** An action's error (with the core's code) or success text, or nothing. */
function Outcome({ state }) {
  if (state.error) {
    return (
      <span className="msg-error" data-testid="action-error" data-code={state.error.code}>
        {state.error.text}
      </span>
    );
  }
  return state.ok ? (
    <span className="msg-ok" data-testid="action-ok">
      {state.ok}
    </span>
  ) : null;
}

/** The outcome of a card's last action (whichever of its buttons started it), kept in place. */
export function ResultLine({ state, testid = 'action-result' }) {
  return (
    <p className="action-result" role="status" aria-live="polite" data-testid={testid}>
      {state.busy ? null : <Outcome state={state} />}
    </p>
  );
}
