import { authClient, errorText, unwrap } from './api';
import { field, h, notice, replace } from './dom';
import { healthPage } from './pages/health';
import { keysPage } from './pages/keys';
import { rolesPage } from './pages/roles';
import { userPage } from './pages/user';
import { usersPage } from './pages/users';
import type { Page, Viewer } from './viewer';

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`console page without #${id}`);
  return found;
}
const header = element('top');
const main = element('main');
/** Stops the current page's timers (the health page polls) when another one is shown. */
let leave: (() => void) | undefined;

const NAV: Array<{ hash: string; text: string; allowed: (v: Viewer) => boolean }> = [
  { hash: '#/users', text: 'Users', allowed: (v) => v.can.readUsers },
  { hash: '#/keys', text: 'API keys', allowed: () => true },
  { hash: '#/roles', text: 'Roles', allowed: (v) => v.can.readRoles },
  { hash: '#/health', text: 'Health', allowed: (v) => v.can.readMetrics },
];

async function viewer(): Promise<Viewer | null> {
  const session = await authClient.getSession();
  const user = session.data?.user;
  if (!user) return null;
  const has = async (permission: string) => (await authClient.roles.hasPermission({ permission })).data?.granted === true;
  const [readUsers, manageUsers, readMetrics, readRoles, assignRoles] = await Promise.all([has('users:read'), has('users:manage'), has('metrics:read'), has('roles:read'), has('roles:assign')]);
  return { user: { id: user.id, email: user.email, name: user.name }, can: { readUsers, manageUsers, readMetrics, readRoles, assignRoles } };
}

async function signOut(): Promise<void> {
  await authClient.signOut();
  location.hash = '#/';
  await start();
}

function renderHeader(v: Viewer | null, current = ''): void {
  const links = v ? NAV.filter((n) => n.allowed(v)) : [];
  replace(
    header,
    h('span', { class: 'brand' }, 'auth-service console'),
    links.length ? h('nav', { 'aria-label': 'Console' }, h('ul', {}, links.map((n) => h('li', {}, h('a', { href: n.hash, 'aria-current': current.startsWith(n.hash) ? 'page' : null }, n.text))))) : null,
    v ? h('span', { class: 'who' }, h('span', { 'data-testid': 'signed-in-as' }, v.user.email), h('button', { type: 'button', onClick: () => void signOut() }, 'Sign out')) : null,
  );
}

function signInPage(): void {
  renderHeader(null);
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      'aria-label': 'Sign in',
      onSubmit: (event) => {
        event.preventDefault();
        void unwrap(authClient.signIn.email({ email: email.value, password: password.value }))
          .then(() => start())
          .catch((error: unknown) => replace(status, notice('error', `Sign-in failed: ${errorText(error)}`)));
      },
    },
    h('div', { class: 'row' }, field('Email', email), field('Password', password), h('button', { class: 'primary', type: 'submit' }, 'Sign in')),
  );
  replace(main, h('h1', {}, 'Sign in'), h('p', { class: 'muted' }, 'Sign in with an account that holds the admin permissions (users:read, users:manage, metrics:read).'), form, status);
  email.focus();
}

function notPermittedPage(v: Viewer): void {
  renderHeader(v);
  replace(
    main,
    h('h1', {}, 'Not permitted'),
    notice('error', `${v.user.email} is signed in but does not hold the admin permissions this console needs (users:read or metrics:read).`),
    h('p', {}, 'Ask an administrator to assign you an admin role, or sign in with another account.'),
  );
}

const ROUTES: Array<{ pattern: RegExp; page: (v: Viewer, match: RegExpMatchArray) => Page }> = [
  { pattern: /^#\/users\/([\w-]{1,64})$/, page: (v, m) => userPage(v, m[1] ?? '') },
  { pattern: /^#\/users$/, page: (v) => usersPage(v) },
  { pattern: /^#\/keys$/, page: (v) => keysPage(v) },
  { pattern: /^#\/roles$/, page: (v) => rolesPage(v) },
  { pattern: /^#\/health$/, page: (v) => healthPage(v) },
];

let current: Viewer | null = null;

function route(): void {
  leave?.();
  leave = undefined;
  const v = current;
  if (!v) return signInPage();
  if (!v.can.readUsers && !v.can.readMetrics) return notPermittedPage(v);
  const hash = location.hash || '#/';
  for (const r of ROUTES) {
    const match = hash.match(r.pattern);
    if (!match) continue;
    renderHeader(v, hash);
    const page = r.page(v, match);
    replace(main, page.element);
    leave = page.leave;
    main.focus();
    return;
  }
  location.replace(v.can.readUsers ? '#/users' : '#/health');
}

async function start(): Promise<void> {
  try {
    current = await viewer();
    route();
  } catch (error) {
    replace(main, h('h1', {}, 'Console unavailable'), notice('error', errorText(error)));
  }
}

window.addEventListener('hashchange', route);
void start();
