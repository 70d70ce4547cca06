import { api, errorText } from '../api';
import { h, notice, replace, table, when } from '../dom';
import type { Viewer } from '../viewer';

interface SessionRow {
  id: string;
  live: boolean;
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: string;
  lastAccessedAt: string;
  endedAt: string | null;
  endReason: string | null;
  logs: Array<{ action: string; timestamp: string; ipAddress: string | null; details: unknown }>;
}

function logOf(session: SessionRow): HTMLElement {
  return h(
    'details',
    {},
    h('summary', {}, `${session.logs.length} log entr${session.logs.length === 1 ? 'y' : 'ies'}`),
    h('ul', {}, session.logs.map((l) => h('li', {}, `${when(l.timestamp)} ${l.action}${l.details ? ` ${JSON.stringify(l.details)}` : ''}`))),
  );
}

/** A user's live and ended sessions with their SessionLog; revoke one or all (admin routes). */
export function sessionsSection(v: Viewer, userId: string): HTMLElement {
  const root = h('section', { 'aria-label': 'Sessions' }, h('h2', {}, 'Sessions'), h('p', {}, 'Loading…'));
  const base = `/api/admin/users/${encodeURIComponent(userId)}/sessions`;

  async function revoke(path: string, done: string): Promise<void> {
    try {
      await api(path, { method: 'POST', body: {} });
      await load(notice('success', done));
    } catch (error) {
      await load(notice('error', errorText(error)));
    }
  }

  async function load(message?: HTMLElement): Promise<void> {
    try {
      const { active, ended } = await api<{ active: SessionRow[]; ended: SessionRow[] }>(base);
      const live = table(
        'Live sessions',
        ['IP', 'User agent', 'Started', 'Last access', 'Log', ''],
        active.map((s) => [s.ipAddress ?? '—', s.userAgent ?? '—', when(s.createdAt), when(s.lastAccessedAt), logOf(s), v.can.manageUsers ? h('button', { type: 'button', class: 'danger', onClick: () => void revoke(`${base}/${s.id}/revoke`, 'Session revoked') }, 'Revoke') : '']),
        { testid: 'live-sessions' },
      );
      const past = table('Ended sessions', ['IP', 'User agent', 'Started', 'Last access', 'Ended', 'Reason', 'Log'], ended.map((s) => [s.ipAddress ?? '—', s.userAgent ?? '—', when(s.createdAt), when(s.lastAccessedAt), when(s.endedAt), s.endReason ?? '—', logOf(s)]), { testid: 'ended-sessions' });
      replace(
        root,
        h('h2', {}, 'Sessions'),
        message ?? null,
        h('h3', {}, `Live (${active.length})`),
        live,
        v.can.manageUsers && active.length ? h('div', { class: 'row' }, h('button', { type: 'button', class: 'danger', onClick: () => void revoke(`${base}/revoke-all`, 'All sessions revoked') }, 'Revoke all sessions')) : null,
        h('h3', {}, `Ended (${ended.length})`),
        past,
      );
    } catch (error) {
      replace(root, h('h2', {}, 'Sessions'), notice('error', errorText(error)));
    }
  }

  void load();
  return root;
}
