// The harness OpenID Provider: `oidc-provider` (ESM-only, so it runs in a child process of its
// own, started by oidcProvider.ts) on a loopback port. Controlled over the fork IPC channel:
// stop / start (an IdP outage, state kept), revoke a session's grants (the next refresh answers
// invalid_grant), send a back-channel logout, count token requests by grant type.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.env.OIDC_HARNESS_SETTINGS ?? '{}');
const issuer = `http://127.0.0.1:${settings.port}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'harness-1', use: 'sig', alg: 'RS256' };

/** sid → { accountId, grantIds } from every refresh token the provider saved. */
const sessions = new Map();
const counts = { authorization_code: 0, refresh_token: 0, refresh_token_errors: 0, logout_tokens: 0 };
/** Lifetime of access and ID tokens issued from now on (setAccessTokenTtl changes it). */
let accessTokenTtlS = settings.accessTokenTtlS;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      redirect_uris: settings.redirectUris,
      post_logout_redirect_uris: settings.postLogoutRedirectUris ?? [],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...(settings.backchannelLogoutUri ? { backchannel_logout_uri: settings.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  scopes: ['openid', 'offline_access', 'email', 'profile'],
  features: { devInteractions: { enabled: false }, backchannelLogout: { enabled: true }, revocation: { enabled: true } },
  pkce: { required: () => true },
  ttl: {
    AccessToken: () => accessTokenTtlS,
    IdToken: () => accessTokenTtlS,
    RefreshToken: 24 * 60 * 60,
    AuthorizationCode: 60,
    Grant: 24 * 60 * 60,
    Interaction: 10 * 60,
    Session: 24 * 60 * 60,
  },
  // Every refresh rotates the refresh token; reusing a rotated one revokes the grant (as Keycloak's
  // "revoke refresh token" realm setting does).
  rotateRefreshToken: true,
  // The app listens on loopback, which the provider's SSRF guard refuses: the harness lifts it.
  fetch: (url, options) => {
    delete options.dispatcher;
    return globalThis.fetch(url, options);
  },
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // Every account's address is verified at the IdP, except an account whose id starts with
  // `unverified-` (the account-linking tests).
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email: `${id}@idp.test`, email_verified: !id.startsWith('unverified-'), name: `User ${id}` }),
  }),
});
provider.proxy = false;

provider.on('refresh_token.saved', (token) => {
  if (!token.sid) return;
  const entry = sessions.get(token.sid) ?? { accountId: token.accountId, grantIds: new Set() };
  entry.grantIds.add(token.grantId);
  sessions.set(token.sid, entry);
});
provider.on('grant.success', (ctx) => {
  const type = ctx.oidc.params?.grant_type;
  if (type in counts) counts[type]++;
});
provider.on('grant.error', (ctx) => {
  if (ctx.oidc.params?.grant_type === 'refresh_token') counts.refresh_token_errors++;
});

/** Logs the user in without a form: `login_hint` names the account (default `settings.defaultAccount`). */
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    const accountId = details.params.login_hint || settings.defaultAccount;
    return provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  if (details.prompt.details.missingOIDCScope) grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(' '));
  if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
function handle(req, res) {
  if (req.url?.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.statusCode = 500;
      res.end(String(error?.message ?? error));
    });
    return;
  }
  callback(req, res);
}

let server;
async function start() {
  if (server) return;
  server = createServer(handle);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, '127.0.0.1', resolve);
  });
}
async function stop() {
  const current = server;
  if (!current) return;
  server = undefined;
  current.closeAllConnections();
  await new Promise((resolve) => current.close(resolve));
}

async function revokeSession(sid) {
  const entry = sessions.get(sid);
  if (!entry) return 0;
  for (const grantId of entry.grantIds) {
    await Promise.all([provider.RefreshToken.revokeByGrantId(grantId), provider.AccessToken.revokeByGrantId(grantId), provider.Grant.adapter.destroy(grantId)]);
  }
  return entry.grantIds.size;
}

async function backchannelLogout(sid) {
  const entry = sessions.get(sid);
  if (!entry) throw new Error(`no session ${sid} at the IdP`);
  const client = await provider.Client.find(settings.clientId);
  await client.backchannelLogout(entry.accountId, sid);
  counts.logout_tokens++;
  return entry.accountId;
}

/** A signed logout token for `sid`, as backchannelLogout sends it, returned instead of sent (replay tests). */
async function logoutToken(sid) {
  const entry = sessions.get(sid);
  if (!entry) throw new Error(`no session ${sid} at the IdP`);
  const client = await provider.Client.find(settings.clientId);
  const token = new provider.IdToken({ sub: entry.accountId }, { client, ctx: undefined });
  token.mask = { sub: null };
  token.set('events', { 'http://schemas.openid.net/event/backchannel-logout': {} });
  token.set('jti', randomUUID());
  token.set('sid', sid);
  return token.issue({ use: 'logout' });
}

const ops = {
  start,
  logoutToken,
  stop,
  counts: async () => ({ ...counts }),
  setAccessTokenTtl: async (seconds) => {
    accessTokenTtlS = seconds;
  },
  revokeSession,
  backchannelLogout,
  sessions: async () => [...sessions.entries()].map(([sid, e]) => ({ sid, accountId: e.accountId })),
};

process.on('message', async ({ id, op, args }) => {
  try {
    const result = await ops[op](...(args ?? []));
    process.send({ id, ok: true, result });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.message ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));

start().then(
  () => process.send({ ready: true, issuer }),
  (error) => {
    process.send({ ready: false, error: String(error?.message ?? error) });
    process.exit(1);
  },
);
