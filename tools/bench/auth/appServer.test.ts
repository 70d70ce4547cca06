import { appRevision, exposesBetterAuth } from './appServer';
import { listenOnce } from './testServer';

describe('exposesBetterAuth (is the app measurable?)', () => {
  it('says why not when /api/auth is not mounted', async () => {
    const server = await listenOnce((_req, res) => res.writeHead(404).end('{"error":"not found"}'));
    try {
      expect(await exposesBetterAuth(server.url)).toMatch(/get-session → 404, GET \/api\/auth\/ok → 404/);
    } finally {
      await server.close();
    }
  });

  it('accepts get-session answering 200 null without credentials', async () => {
    const server = await listenOnce((req, res) => (req.url === '/api/auth/get-session' ? res.end('null') : res.writeHead(404).end()));
    try {
      expect(await exposesBetterAuth(server.url)).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('accepts /api/auth/ok answering 200 when get-session differs', async () => {
    const server = await listenOnce((req, res) => (req.url === '/api/auth/ok' ? res.end('{"ok":true}') : res.writeHead(401).end()));
    try {
      expect(await exposesBetterAuth(server.url)).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('does not take a catch-all 200 with a body for Better-Auth at get-session alone', async () => {
    const server = await listenOnce((req, res) => (req.url === '/api/auth/ok' ? res.writeHead(404).end() : res.end('<html>app</html>')));
    try {
      expect(await exposesBetterAuth(server.url)).toMatch(/get-session → 200/);
    } finally {
      await server.close();
    }
  });
});

describe('appRevision', () => {
  it('names the commit and counts uncommitted files of the app folder', () => {
    const revision = appRevision('apps/auth-service/src/main.ts');
    expect(revision.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(revision.uncommittedFiles).toEqual(expect.any(Number));
  });
});
