// A page that needs an optional part of the core (docs/architecture.md#parts): the part is loaded when the
// page opens, not when the app starts (the gatherings and sessions pages never fetch it), while the page's
// frame says what is being loaded; a failure is said in plain words, with a way to try again and to reload.
import { useEffect, useRef, useState } from 'react';
import { useApp } from '../app/context.js';
import { PageFrame } from './page.jsx';

/** The page's heading takes the focus when the frame it was in has been replaced (as Layout does on navigation),
 *  unless the user has moved the focus elsewhere meanwhile. */
function focusHeadingIfLost() {
  const active = document.activeElement;
  if (!active || active === document.body) document.querySelector('main h1')?.focus({ preventScroll: true });
}

/**
 * Renders `children` once `part` ('events' | 'wallet') is loaded into the app's core (children render only then:
 * they may use the part's namespaces while rendering).
 * @param {{ part: string, what: string, children: import('react').ReactNode }} props `what`: the page's tools in
 *   plain words ("the meeting tools"), for the loading and error lines
 */
export function NeedsPart({ part, what, children }) {
  const { core } = useApp();
  const [error, setError] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const [, setLoaded] = useState(0); // a render when the part arrives
  const waited = useRef(false);
  const ready = core.loaded(part);

  useEffect(() => {
    if (core.loaded(part)) return undefined;
    let live = true;
    waited.current = true;
    setError(null);
    core.load(part).then(
      () => live && setLoaded((n) => n + 1),
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [core, part, attempt]);

  // The loading frame's heading had the focus: the page that replaces it gets it.
  useEffect(() => {
    if (!ready || !waited.current) return undefined;
    waited.current = false;
    const t = setTimeout(focusHeadingIfLost, 0);
    return () => clearTimeout(t);
  }, [ready]);

  if (ready) return children;
  if (error) {
    // Our own words: the generic explanation of a failed fetch would blame the Arkiv node.
    return (
      <PageFrame name={`part-${part}`} title={`Could not load ${what}`}>
        <p className="msg-error" role="alert" data-testid="part-error">
          {`Could not load ${what} (${error.message || String(error)}). Check the connection, then try again; if that fails, reload the page.`}
        </p>
        <p>
          <button
            type="button"
            data-testid="part-retry"
            onClick={() => {
              setAttempt((n) => n + 1);
              // The button goes away while loading again: keep the focus on the page's heading.
              document.querySelector('main h1')?.focus({ preventScroll: true });
            }}
          >
            Try again
          </button>{' '}
          <button type="button" data-testid="part-reload" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </p>
      </PageFrame>
    );
  }
  return (
    <PageFrame name={`part-${part}`} title={`Loading ${what}`} loading>
      <p role="status" data-testid="part-loading">
        Loading {what}…
      </p>
    </PageFrame>
  );
}
