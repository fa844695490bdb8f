// A page that needs an optional part of the core (docs/architecture.md#parts): the part is loaded when the
// page opens, not when the app starts (the gatherings and sessions pages never fetch it), while the page's
// frame says what is being loaded; a failure is shown with a way to try again.
import { useEffect, useState } from 'react';
import { useApp } from '../app/context.js';
import { PageFrame } from './page.jsx';

/**
 * Renders `children` once `part` ('events' | 'wallet') is loaded into the app's core.
 * @param {{ part: string, what: string, children: import('react').ReactNode }} props `what`: the page's tools in
 *   plain words ("the meeting tools"), for the loading and error lines
 */
export function NeedsPart({ part, what, children }) {
  const { core } = useApp();
  const [state, setState] = useState(() => (core.loaded(part) ? { ready: true } : { ready: false, error: null }));
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (core.loaded(part)) {
      setState({ ready: true });
      return undefined;
    }
    let live = true;
    setState({ ready: false, error: null });
    core.load(part).then(
      () => live && setState({ ready: true }),
      (error) => live && setState({ ready: false, error }),
    );
    return () => {
      live = false;
    };
  }, [core, part, attempt]);
  if (state.ready) return children;
  return (
    <PageFrame name={`part-${part}`} title={`Loading ${what}`} loading={!state.error} error={state.error} what={what}>
      {state.error ? (
        <button type="button" onClick={() => setAttempt((n) => n + 1)} data-testid="part-retry">
          Try again
        </button>
      ) : (
        <p role="status" data-testid="part-loading">
          Loading {what}…
        </p>
      )}
    </PageFrame>
  );
}
