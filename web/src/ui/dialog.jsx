// A confirmation before anything that undoes what other people rely on (cancelling what they RSVP'd
// to, withdrawing from a confirmed session): a modal <dialog> that says what will happen and to how
// many people. Focus goes to the safe choice; Escape or "Keep" answers no; focus returns to the
// control that opened it.
import { useCallback, useEffect, useId, useRef, useState } from 'react';

/**
 * @returns {[ask: (q: { title: string, body: import('react').ReactNode, confirm: string, keep?: string }) => Promise<boolean>, dialog: import('react').ReactNode]}
 */
export function useConfirm() {
  const [question, setQuestion] = useState(null);
  const ref = useRef(null);
  const opener = useRef(null);
  const id = useId();

  const ask = useCallback(
    (q) =>
      new Promise((resolve) => {
        opener.current = document.activeElement;
        setQuestion({ ...q, resolve });
      }),
    [],
  );

  useEffect(() => {
    const d = ref.current;
    if (question && d && !d.open) {
      d.showModal();
      d.querySelector('[data-autofocus]')?.focus();
    }
  }, [question]);

  const answer = (yes) => {
    const q = question;
    ref.current?.close();
    setQuestion(null);
    const back = opener.current;
    opener.current = null;
    if (back && back.isConnected) back.focus();
    q?.resolve(yes);
  };

  const dialog = question ? (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-b`}
      data-testid="confirm-dialog"
      onCancel={(e) => {
        e.preventDefault();
        answer(false);
      }}
    >
      <h2 id={`${id}-t`}>{question.title}</h2>
      <div id={`${id}-b`} data-testid="confirm-body">
        {question.body}
      </div>
      <div className="actions">
        <button type="button" className="secondary" data-autofocus data-testid="confirm-keep" onClick={() => answer(false)}>
          {question.keep || 'Keep it'}
        </button>
        <button type="button" className="danger" data-testid="confirm-yes" onClick={() => answer(true)}>
          {question.confirm}
        </button>
      </div>
    </dialog>
  ) : null;
  return [ask, dialog];
}
