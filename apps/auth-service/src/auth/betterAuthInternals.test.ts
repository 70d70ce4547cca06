import { startTestApp, type TestApp } from '../testing/testApp';
import { BetterAuthInternalsError, readAuthContext } from './betterAuthInternals';

describe("Better-Auth internals the app relies on (fails when an upgrade moves them)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("reads the resolved AuthContext fields the lean get-session route needs", async () => {
    const ctx = await readAuthContext(t.context.auth);
    expect(ctx.sessionConfig.expiresIn).toBeGreaterThan(ctx.sessionConfig.updateAge);
    expect(Object.keys(ctx.tables['session'].fields)).toEqual(expect.arrayContaining(['token', 'userId', 'expiresAt']));
    expect(ctx.options.plugins?.map((p) => p.id)).toEqual(expect.arrayContaining(['bearer', 'api-key', 'roles']));
  });

  it("the access core reads the same session cookie Better-Auth sets", async () => {
    const ctx = await readAuthContext(t.context.auth);
    expect(t.context.access.credentials.sessionCookieName).toBe(ctx.authCookies.sessionToken.name);
    const bearer = ctx.options.plugins?.find((p) => p.id === 'bearer');
    expect(bearer?.options?.requireSignature ?? false).toBe(false);
  });

  it("names what is missing when the context changed shape", async () => {
    await expect(readAuthContext({ $context: Promise.resolve({ options: {} }) } as never)).rejects.toBeInstanceOf(BetterAuthInternalsError);
    await expect(readAuthContext({ $context: Promise.resolve({ options: {} }) } as never)).rejects.toMatchObject({ missing: expect.arrayContaining(['sessionConfig.expiresIn', 'authCookies.sessionToken.name']) });
  });
});
