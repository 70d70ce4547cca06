import { api, errorText, type AdminUser } from '../api';
import { badge, EXPIRY_CHOICES, expiryDate, field, h, notice, replace, select, table, when } from '../dom';
import type { Page, Viewer } from '../viewer';
import { sessionsSection } from './sessions';

interface AuditEntry {
  action?: string;
  from?: unknown;
  to?: unknown;
  by?: string;
  at?: string;
  timestamp?: string;
  reason?: string;
}

const show = (value: unknown) => (value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** One user: profile, ban / unban / delete / restore, sessions, audit log. */
export function userPage(v: Viewer, userId: string): Page {
  const root = h('div', {}, h('h1', {}, 'User'), h('p', {}, 'Loading…'));
  const messages = h('div');

  async function status(body: Record<string, unknown>, done: string): Promise<void> {
    try {
      await api('/api/admin/users/status', { method: 'POST', body: { userIds: [userId], ...body } });
      await load(notice('success', done));
    } catch (error) {
      replace(messages, notice('error', errorText(error)));
    }
  }

  async function post(path: string, done: string): Promise<void> {
    try {
      await api(path, { method: 'POST', body: {} });
      await load(notice('success', done));
    } catch (error) {
      replace(messages, notice('error', errorText(error)));
    }
  }

  function actions(user: AdminUser): HTMLElement | null {
    if (!v.can.manageUsers) return null;
    if (user.isDeleted) return h('section', { 'aria-label': 'Actions' }, h('h2', {}, 'Actions'), h('button', { type: 'button', onClick: () => void post(`/api/admin/users/${userId}/restore`, 'User restored') }, 'Restore user'));
    const reason = h('input', { name: 'reason', maxlength: 500, placeholder: 'why (shown in the audit log)' });
    const expiry = select('banExpiry', EXPIRY_CHOICES, '3600');
    const ban = h(
      'form',
      { class: 'inline', 'aria-label': 'Ban user', onSubmit: (e) => { e.preventDefault(); void status({ status: 'BANNED', reason: reason.value || undefined, banExpiresAt: expiryDate(expiry.value) }, 'User banned'); } },
      field('Ban reason', reason),
      field('Ban expires after', expiry),
      h('button', { class: 'danger', type: 'submit' }, 'Ban user'),
    );
    return h(
      'section',
      { 'aria-label': 'Actions' },
      h('h2', {}, 'Actions'),
      user.status === 'BANNED' || user.status === 'INACTIVE' || user.status === 'PENDING' ? h('button', { type: 'button', class: 'primary', onClick: () => void status({ status: 'ACTIVE' }, 'User unbanned') }, user.status === 'BANNED' ? 'Unban user' : 'Activate user') : null,
      user.status !== 'BANNED' ? ban : null,
      h('div', { class: 'row' }, h('button', { type: 'button', class: 'danger', onClick: () => void post(`/api/admin/users/${userId}/delete`, 'User soft-deleted') }, 'Soft-delete user')),
    );
  }

  async function load(message?: HTMLElement): Promise<void> {
    try {
      const { user, auditLog } = await api<{ user: AdminUser; auditLog: AuditEntry[] | null }>(`/api/admin/users/${encodeURIComponent(userId)}`);
      const profile = h(
        'dl',
        { class: 'profile', 'data-testid': 'profile' },
        [
          ['Email', user.email],
          ['Name', user.name],
          ['Status', badge(user.status)],
          ['Ban reason', user.banReason ?? '—'],
          ['Ban expires', when(user.banExpiresAt)],
          ['Role', user.roleId ?? '—'],
          ['Role expires', when(user.roleExpiresAt)],
          ['Deleted', user.isDeleted ? when(user.deletedAt) : 'no'],
          ['Last sign-in', when(user.lastLoginAt)],
          ['Created', when(user.createdAt)],
          ['Id', user.id],
        ].map(([term, value]) => [h('dt', {}, term as string), h('dd', {}, value as string | Node)]),
      );
      const audit = table(
        'Audit log',
        ['When', 'Action', 'From', 'To', 'By', 'Reason'],
        [...(auditLog ?? [])].reverse().map((e) => [when(e.at ?? e.timestamp), show(e.action), show(e.from), show(e.to), show(e.by), show(e.reason)]),
        { testid: 'audit-log' },
      );
      replace(messages, message ?? null);
      replace(root, h('p', {}, h('a', { href: '#/users' }, '← Users')), h('h1', {}, user.email), messages, profile, actions(user), sessionsSection(v, userId), h('h2', {}, 'Audit log'), audit);
    } catch (error) {
      replace(root, h('h1', {}, 'User'), notice('error', errorText(error)));
    }
  }

  void load();
  return { element: root };
}
