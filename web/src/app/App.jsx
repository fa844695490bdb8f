// The routes (hash URLs, so any static server and any base path work: #/gatherings/0x…).
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { BlueskyPage } from '../pages/bluesky.jsx';
import { GatheringPage, GatheringsPage, NewGatheringPage } from '../pages/gatherings.jsx';
import { InboxPage } from '../pages/inbox.jsx';
import { MeetingHelp, MeetingPage } from '../pages/meeting.jsx';
import { NewSeriesPage } from '../pages/series-new.jsx';
import { SeriesListPage, SeriesPage } from '../pages/series.jsx';
import { NewSessionPage, SessionPage, SessionsPage } from '../pages/sessions.jsx';
import { Home, SettingsPage, WalletsPage, WelcomePage } from '../pages/wallets.jsx';
import { Layout } from '../ui/layout.jsx';
import { PageFrame } from '../ui/page.jsx';
import { NeedsPart } from '../ui/part.jsx';

function NotFound() {
  const { pathname } = useLocation();
  // Links from the first version of the app: #series=<key>.
  const legacy = /^\/series=(0x[0-9a-fA-F]{64})$/.exec(pathname);
  if (legacy) return <Navigate to={`/series/${legacy[1]}`} replace />;
  return (
    <PageFrame name="not-found" title="Page not found">
      <p>
        There is no page at <code>{pathname}</code>. <Link to="/gatherings">Go to the gatherings</Link>.
      </p>
    </PageFrame>
  );
}

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="welcome" element={<WelcomePage />} />
        <Route path="gatherings" element={<GatheringsPage tab="upcoming" />} />
        <Route path="gatherings/now" element={<GatheringsPage tab="now" />} />
        <Route path="gatherings/past" element={<GatheringsPage tab="past" />} />
        <Route path="gatherings/new" element={<NewGatheringPage />} />
        <Route path="gatherings/:key" element={<GatheringPage />} />
        <Route path="sessions" element={<SessionsPage tab="upcoming" />} />
        <Route path="sessions/past" element={<SessionsPage tab="past" />} />
        <Route path="sessions/new" element={<NewSessionPage />} />
        <Route path="sessions/:key" element={<SessionPage />} />
        <Route path="series" element={<SeriesListPage />} />
        <Route path="series/new" element={<NewSeriesPage />} />
        <Route path="series/:key" element={<SeriesPage />} />
        <Route path="meeting" element={<MeetingHelp />} />
        {/* The meeting page captures and folds meeting events: the core's events part, fetched when it opens. */}
        <Route path="meeting/:key" element={<NeedsPart part="events" what="the meeting tools"><MeetingPage /></NeedsPart>} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="bluesky" element={<BlueskyPage />} />
        <Route path="wallets" element={<WalletsPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
