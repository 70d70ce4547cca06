import { api, authClient, errorText, unwrap, type AdminUser, type RoleRow } from '../api';
import { EXPIRY_CHOICES, expiryDate, field, h, notice, replace, select, when } from '../dom';
import type { Page, Viewer } from '../viewer';

/** Roles as a tree (children under their parent), a role's own and effective permissions, assignment. */
export function rolesPage(v: Viewer): Page {
  const tree = h('div');
  const detail = h('section', { 'aria-label': 'Role details', 'aria-live': 'polite' });
  const assign = h('section', { 'aria-label': 'Assign a role' });
  let selectedId: string | null = null;
  let roles: RoleRow[] = [];

  function branch(parentId: string | null): HTMLUListElement | null {
    const children = roles.filter((r) => (r.parentRoleId ?? null) === parentId || (parentId === null && r.parentRoleId !== null && !roles.some((p) => p.id === r.parentRoleId)));
    if (!children.length) return null;
    return h(
      'ul',
      parentId === null ? { class: 'tree', 'aria-label': 'Role hierarchy' } : {},
      children.map((r) =>
        h('li', {}, h('button', { type: 'button', 'aria-pressed': selectedId === r.id ? 'true' : 'false', onClick: () => void show(r.id) }, `${r.displayName ?? r.name}${r.isSystem ? ' (system)' : ''}`), h('span', { class: 'muted' }, ` level ${r.level}`), branch(r.id)),
      ),
    );
  }

  async function show(roleId: string): Promise<void> {
    selectedId = roleId;
    replace(tree, h('h2', {}, 'Hierarchy'), branch(null));
    try {
      const { role } = await unwrap(authClient.roles.get({ query: { roleId } }));
      const parent = roles.find((r) => r.id === role.parentRoleId);
      replace(
        detail,
        h('h2', {}, `Role ${role.name}`),
        h('p', { class: 'muted' }, `id ${role.id}${parent ? ` — inherits from ${parent.name}` : ''}`),
        h('h3', {}, 'Own permissions'),
        h('ul', {}, role.permissions.length ? role.permissions.map((p: string) => h('li', {}, h('code', {}, p))) : h('li', { class: 'muted' }, 'None')),
        h('h3', {}, 'Effective permissions (with inherited)'),
        h('ul', { 'data-testid': 'effective-permissions' }, role.effectivePermissions.length ? role.effectivePermissions.map((p: string) => h('li', {}, h('code', {}, p))) : h('li', { class: 'muted' }, 'None')),
      );
    } catch (error) {
      replace(detail, notice('error', errorText(error)));
    }
  }

  function assignForm(): HTMLElement {
    const email = h('input', { type: 'email', name: 'email', required: true });
    const role = select('roleId', roles.map((r): [string, string] => [r.id, r.name]));
    const expiry = select('expiresAt', EXPIRY_CHOICES, '86400');
    const reason = h('input', { name: 'reason', maxlength: 500 });
    const status = h('div');
    const submit = async () => {
      try {
        const { user } = await api<{ user: AdminUser }>('/api/admin/users/by-email', { query: { email: email.value.trim() } });
        const expiresAt = expiryDate(expiry.value);
        const done = await unwrap(authClient.roles.assign({ userId: user.id, roleId: role.value, expiresAt: expiresAt ? new Date(expiresAt) : null, reason: reason.value || undefined }));
        const name = roles.find((r) => r.id === role.value)?.name ?? role.value;
        replace(status, notice('success', `Assigned ${name} to ${user.email}${done.roleExpiresAt ? ` until ${when(done.roleExpiresAt as unknown as string)}` : ' without expiry'}`));
      } catch (error) {
        replace(status, notice('error', `Assignment failed: ${errorText(error)}`));
      }
    };
    return h(
      'div',
      {},
      h('h2', {}, 'Assign a role'),
      h('form', { class: 'inline', 'aria-label': 'Assign a role', onSubmit: (e) => { e.preventDefault(); void submit(); } }, field('User email', email), field('Role', role), field('Assignment expires after', expiry), field('Reason', reason), h('button', { class: 'primary', type: 'submit' }, 'Assign role')),
      status,
    );
  }

  async function load(): Promise<void> {
    try {
      roles = ((await unwrap(authClient.roles.list())).roles as RoleRow[]) ?? [];
      replace(tree, h('h2', {}, 'Hierarchy'), branch(null) ?? h('p', { class: 'muted' }, 'No roles'));
      replace(assign, v.can.assignRoles && v.can.readUsers ? assignForm() : null);
    } catch (error) {
      replace(tree, notice('error', errorText(error)));
    }
  }

  void load();
  return { element: h('div', {}, h('h1', {}, 'Roles'), h('div', {}, tree, detail), assign) };
}
