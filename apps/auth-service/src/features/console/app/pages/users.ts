import { api, errorText, type AdminUser } from '../api';
import { badge, field, h, notice, replace, select, table, when } from '../dom';
import type { Page, Viewer } from '../viewer';
import { statsChart, type UserStats } from './chart';

interface UserPage {
  users: AdminUser[];
  total: number;
  page: number;
  totalPages: number;
  hasNext: boolean;
}

const STATUSES = ['ACTIVE', 'BANNED', 'INACTIVE', 'PENDING', 'DELETED'];

/** Users: search (email, username, role, status), pages of 20, batch status, the stats chart. */
export function usersPage(v: Viewer): Page {
  const email = h('input', { type: 'search', name: 'email', placeholder: 'part of an email' });
  const username = h('input', { type: 'search', name: 'username', placeholder: 'part of a username' });
  const roleId = h('input', { type: 'search', name: 'roleId', placeholder: 'role id' });
  const status = select('status', [['', 'Any'], ...STATUSES.map((st): [string, string] => [st, st])]);
  const deleted = h('input', { type: 'checkbox', name: 'includeDeleted' });
  const results = h('div', { 'aria-live': 'polite' });
  const messages = h('div');
  const chart = h('div');
  const selected = new Set<string>();
  let page = 1;

  const batchStatus = select('batchStatus', STATUSES.filter((st) => st !== 'DELETED').map((st): [string, string] => [st, st]));
  const batchButton = h('button', { type: 'button', disabled: true, onClick: () => void applyBatch() }, 'Apply to selected');

  async function loadStats(): Promise<void> {
    try {
      replace(chart, statsChart(await api<UserStats>('/api/admin/users/stats')));
    } catch (error) {
      replace(chart, notice('error', `Statistics unavailable: ${errorText(error)}`));
    }
  }

  async function search(): Promise<void> {
    try {
      const found = await api<UserPage>('/api/admin/users', { query: { email: email.value.trim(), username: username.value.trim(), roleId: roleId.value.trim(), status: status.value, includeDeleted: deleted.checked ? 'true' : undefined, page, pageSize: 20 } });
      selected.clear();
      batchButton.disabled = true;
      const rows = found.users.map((u) => [
        v.can.manageUsers
          ? h('input', { type: 'checkbox', 'aria-label': `Select ${u.email}`, onChange: (e) => toggle(u.id, (e.target as HTMLInputElement).checked) })
          : '',
        h('a', { href: `#/users/${u.id}` }, u.email),
        u.name,
        badge(u.status),
        u.roleId ?? '—',
        when(u.createdAt),
      ]);
      replace(
        results,
        h('p', { class: 'muted', 'data-testid': 'result-count' }, `${found.total} user${found.total === 1 ? '' : 's'} — page ${found.page} of ${Math.max(1, found.totalPages)}`),
        table('Users', ['', 'Email', 'Name', 'Status', 'Role', 'Created'], rows, { testid: 'users-table' }),
        h(
          'div',
          { class: 'row' },
          h('button', { type: 'button', disabled: found.page <= 1, onClick: () => void go(page - 1) }, 'Previous page'),
          h('button', { type: 'button', disabled: !found.hasNext, onClick: () => void go(page + 1) }, 'Next page'),
        ),
      );
    } catch (error) {
      replace(results, notice('error', `Search failed: ${errorText(error)}`));
    }
  }

  function toggle(id: string, on: boolean): void {
    if (on) selected.add(id);
    else selected.delete(id);
    batchButton.disabled = selected.size === 0;
  }

  async function go(to: number): Promise<void> {
    page = to;
    await search();
  }

  async function applyBatch(): Promise<void> {
    try {
      const { updated } = await api<{ updated: number }>('/api/admin/users/status', { method: 'POST', body: { userIds: [...selected], status: batchStatus.value } });
      replace(messages, notice('success', `${updated} user${updated === 1 ? '' : 's'} set to ${batchStatus.value}`));
      await Promise.all([search(), loadStats()]);
    } catch (error) {
      replace(messages, notice('error', `Batch status failed: ${errorText(error)}`));
    }
  }

  const form = h(
    'form',
    { class: 'inline', role: 'search', 'aria-label': 'Search users', onSubmit: (e) => { e.preventDefault(); void go(1); } },
    field('Email', email),
    field('Username', username),
    field('Role id', roleId),
    field('Status', status),
    h('label', { class: 'check' }, deleted, 'Include deleted'),
    h('button', { class: 'primary', type: 'submit' }, 'Search'),
  );
  const batch = v.can.manageUsers ? h('section', { 'aria-label': 'Batch status' }, h('div', { class: 'row' }, field('Set status of the selected users', batchStatus), batchButton)) : null;
  void search();
  void loadStats();
  return { element: h('div', {}, h('h1', {}, 'Users'), form, messages, results, batch, chart) };
}
