// The frame of one page: its heading (which takes the focus when the page opens), the state the
// e2e tests wait for (data-page, data-viewer: whose view it shows, data-state: loading / ready) and
// a plain-words line when reading failed.
import { explain } from '../errors.js';
import { useTitle } from '../app/context.js';

export function LoadError({ error, what }) {
  if (!error) return null;
  const e = explain(error);
  return (
    <p className="msg-error load-error" role="alert" data-testid="load-error" data-code={e.code}>
      Could not read {what}: {e.text}
    </p>
  );
}

export function PageFrame({ name, title, heading, viewer, loading, error, what = 'this page', actions, children, lead }) {
  useTitle(title);
  return (
    <div className="page" data-page={name} data-viewer={viewer || undefined} data-state={loading ? 'loading' : 'ready'} aria-busy={loading ? 'true' : undefined}>
      <div className="page-head">
        <h1 tabIndex={-1} data-testid="page-title">
          {heading || title}
        </h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {lead ? <p className="lead">{lead}</p> : null}
      <LoadError error={error} what={what} />
      {children}
    </div>
  );
}
