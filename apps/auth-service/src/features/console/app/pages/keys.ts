import { authClient, errorText, unwrap } from '../api';
import { badge, EXPIRY_CHOICES, field, h, notice, replace, select, table, when } from '../dom';
import type { Page, Viewer } from '../viewer';

interface KeyRow {
  id: string;
  name: string;
  keyPreview: string;
  scopes: string[];
  status: string;
  usageCount: number;
  lastUsedAt: string | Date | null;
  expiresAt: string | Date | null;
  createdAt: string | Date;
}

/** The key itself, shown once (after create or rotate) with a copy button; never stored by the page. */
function shownOnce(key: string, name: string): HTMLElement {
  const status = h('span', { role: 'status' });
  const copy = () =>
    navigator.clipboard.writeText(key).then(
      () => replace(status, 'Copied'),
      () => replace(status, 'Copy failed: select the key and copy it'),
    );
  return h(
    'section',
    { class: 'notice', 'aria-label': 'New API key', 'data-testid': 'new-key' },
    h('p', {}, h('strong', {}, `Key "${name}" — copy it now: it is shown only once.`)),
    h('div', { class: 'secret' }, h('code', { 'data-testid': 'new-key-value' }, key), h('button', { type: 'button', onClick: () => void copy() }, 'Copy key'), status),
  );
}

/** Your own API keys through the API-key plugin: list (previews), create, revoke, rotate. */
export function keysPage(_v: Viewer): Page {
  const list = h('div', { 'aria-live': 'polite' });
  const secret = h('div');
  const messages = h('div');
  const name = h('input', { name: 'name', required: true, maxlength: 255 });
  const scopes = h('input', { name: 'scopes', placeholder: 'users:read, orders:*' });
  const expiry = select('expiresIn', EXPIRY_CHOICES, '');

  async function load(): Promise<void> {
    try {
      const { apiKeys: keys } = await unwrap(authClient.apiKey.list());
      const rows = (keys as KeyRow[]).map((k) => [
        k.name,
        h('code', {}, k.keyPreview),
        k.scopes.join(', ') || '—',
        badge(k.status),
        String(k.usageCount),
        when(k.lastUsedAt as string | null),
        when(k.expiresAt as string | null),
        k.status === 'ACTIVE'
          ? h(
              'div',
              { class: 'row' },
              h('button', { type: 'button', onClick: () => void act(rotate(k)) }, `Rotate ${k.name}`),
              h('button', { type: 'button', class: 'danger', onClick: () => void act(revoke(k)) }, `Revoke ${k.name}`),
            )
          : '',
      ]);
      replace(list, table('Your API keys', ['Name', 'Preview', 'Scopes', 'Status', 'Uses', 'Last used', 'Expires', ''], rows, { testid: 'keys-table' }));
    } catch (error) {
      replace(list, notice('error', errorText(error)));
    }
  }

  async function act(work: Promise<string>): Promise<void> {
    try {
      replace(messages, notice('success', await work));
    } catch (error) {
      replace(messages, notice('error', errorText(error)));
    }
    await load();
  }

  const revoke = async (k: KeyRow) => {
    await unwrap(authClient.apiKey.revoke({ keyId: k.id, reason: 'revoked in the console' }));
    replace(secret);
    return `Key ${k.name} revoked`;
  };
  const rotate = async (k: KeyRow) => {
    const rotated = await unwrap(authClient.apiKey.rotate({ keyId: k.id }));
    replace(secret, shownOnce(rotated.key, k.name));
    return `Key ${k.name} rotated: the old key no longer works`;
  };
  const create = async () => {
    const wanted = scopes.value.split(',').map((x) => x.trim()).filter(Boolean);
    const created = await unwrap(authClient.apiKey.create({ name: name.value, scopes: wanted, expiresIn: expiry.value ? Number(expiry.value) : undefined }));
    replace(secret, shownOnce(created.key, name.value));
    name.value = '';
    return 'Key created';
  };

  const form = h(
    'form',
    { class: 'inline', 'aria-label': 'Create an API key', onSubmit: (e) => { e.preventDefault(); void act(create()); } },
    field('Key name', name),
    field('Scopes (comma-separated)', scopes),
    field('Expires after', expiry),
    h('button', { class: 'primary', type: 'submit' }, 'Create key'),
  );
  void load();
  return { element: h('div', {}, h('h1', {}, 'API keys'), h('p', { class: 'muted' }, 'Keys of the signed-in admin. A key is shown once when it is created or rotated; afterwards only its preview.'), form, messages, secret, list) };
}
