import { request as httpRequest } from 'node:http';
import { startTestApp, type TestApp } from '../testing/testApp';
import { postJson, signUp, type SignedUpUser } from '../features/betterAuth/testing/users';
import { promoteVerifiedToSystemAdmin } from '../testing/systemAdmin';

/** A POST with the path sent byte for byte (fetch would normalise `..` and the like). */
function rawPost(base: string, path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method: 'POST', path, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const code = (body: string): string | undefined => {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
};

describe('CSRF on the matched route: cookie writes outside /api/auth/* (real app, real Postgres)', () => {
  let t: TestApp;
  let admin: SignedUpUser;
  let target: SignedUpUser;
  const evil = { origin: 'https://evil.example' };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signUp(t.url, 'CSRF Admin');
    expect((await promoteVerifiedToSystemAdmin(t.context, admin)).status).toBe('assigned');
    target = await signUp(t.url, 'CSRF Target');
  });
  afterAll(async () => {
    await t?.close();
  });

  const targetRow = () => t.context.repositories.users.findById(target.id);

  it('refuses every spelling of an admin write that reaches a route (403 CSRF_ORIGIN), or finds no route (404): never the write', async () => {
    const id = target.id;
    const encodedId = id.replace(/^./, (c) => `%${c.charCodeAt(0).toString(16)}`);
    const status = { userIds: [id], status: 'INACTIVE' };
    const spellings: Array<[string, unknown]> = [
      ['/api/admin/users/status', status],
      ['/api/%61dmin/users/status', status],
      ['/api/%61%64%6d%69%6e/users/status', status],
      ['/api%2Fadmin/users/status', status],
      ['/api/admin//users/status', status],
      ['/api/admin/users/status/', status],
      ['/API/ADMIN/users/status', status],
      ['/api/admin/../admin/users/status', status],
      ['/api/admin/./users/status', status],
      [`/api/admin/users/${encodedId}/delete`, {}],
      [`/api/%61dmin/users/${id}/delete`, {}],
      [`/api/admin/users/${id}%2Fx/delete`, {}],
      [`/api/admin/users/${id}/delete?x=/api/auth/`, {}],
    ];
    const answers: Array<{ path: string; status: number; code?: string }> = [];
    for (const [path, body] of spellings) {
      const res = await rawPost(t.url, path, { cookie: admin.cookie, ...evil }, body);
      answers.push({ path, status: res.status, code: code(res.body) });
    }
    for (const answer of answers) {
      const expected = answer.status === 404 ? { status: 404, code: 'NOT_FOUND' } : { status: 403, code: 'CSRF_ORIGIN' };
      expect(answer).toEqual({ path: answer.path, ...expected });
    }
    // The spellings the router decodes to a real route are refused, not merely not found.
    const refused = answers.filter((a) => a.status === 403).map((a) => a.path);
    expect(refused).toEqual(expect.arrayContaining(['/api/admin/users/status', '/api/%61dmin/users/status', `/api/admin/users/${encodedId}/delete`, `/api/%61dmin/users/${id}/delete`]));
    const row = await targetRow();
    expect({ status: row?.status, isDeleted: row?.isDeleted }).toEqual({ status: 'ACTIVE', isDeleted: false });
  });

  it('refuses a cookie write with neither Origin nor Sec-Fetch-Site, and a null or cross-site one', async () => {
    const body = { userIds: [target.id], status: 'INACTIVE' };
    const variants: Array<Record<string, string>> = [{}, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': 'none' }, { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }];
    for (const headers of variants) {
      const res = await rawPost(t.url, '/api/%61dmin/users/status', { cookie: admin.cookie, ...headers }, body);
      expect({ headers, status: res.status, code: code(res.body) }).toEqual({ headers, status: 403, code: 'CSRF_ORIGIN' });
    }
    expect((await targetRow())?.status).toBe('ACTIVE');
  });

  it('lets the app origin and Sec-Fetch-Site: same-origin through, and never looks at bearer or x-api-key callers', async () => {
    const write = (status: string, headers: Record<string, string>) => rawPost(t.url, '/api/%61dmin/users/status', headers, { userIds: [target.id], status });
    expect((await write('INACTIVE', { cookie: admin.cookie, origin: t.url })).status).toBe(200);
    expect((await targetRow())?.status).toBe('INACTIVE');
    expect((await write('ACTIVE', { cookie: admin.cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await targetRow())?.status).toBe('ACTIVE');

    const bearer = decodeURIComponent(admin.cookie.split('=')[1]!).split('.')[0]!;
    expect((await write('INACTIVE', { authorization: `Bearer ${bearer}`, ...evil })).status).toBe(200);
    expect((await targetRow())?.status).toBe('INACTIVE');
    const created = await postJson(`${t.url}/api/auth/api-key/create`, { name: 'csrf-svc', scopes: ['*'] }, { cookie: admin.cookie });
    expect(created.status).toBe(200);
    expect((await write('ACTIVE', { 'x-api-key': created.body['key'] as string, ...evil })).status).toBe(200);
    expect((await targetRow())?.status).toBe('ACTIVE');
  });
});
