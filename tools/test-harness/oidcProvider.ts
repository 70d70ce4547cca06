import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from './ports';

export interface OidcProviderOptions {
  /** The app's callback URLs (`<baseURL>/api/auth/callback/<providerId>`), one per instance. */
  redirectUris: string[];
  /** Where the IdP POSTs logout tokens (OIDC Back-Channel Logout 1.0); sid required. */
  backchannelLogoutUri?: string;
  /** Access (and ID) token lifetime in seconds. @default 60 */
  accessTokenTtlS?: number;
  /** Signed in when the authorization request has no `login_hint`. @default 'alice' */
  defaultAccount?: string;
  clientId?: string;
}

/** Token requests the IdP answered, by grant type (errors: refresh requests it refused). */
export interface OidcProviderCounts {
  authorization_code: number;
  refresh_token: number;
  refresh_token_errors: number;
  logout_tokens: number;
}

interface Reply {
  id?: number;
  ok?: boolean;
  result?: unknown;
  error?: string;
  ready?: boolean;
  issuer?: string;
}

/** Children still running when the test process exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A real OpenID Provider (`oidc-provider`) on loopback, for one test file: one confidential
 * client (code flow + PKCE, rotating refresh tokens, back-channel logout with sid), a login that
 * needs no form (`login_hint` = account id) and automatic consent. Runs in a child process
 * (the package is ESM-only); its state lives there, so `stop()` / `start()` is an outage, not a reset.
 */
export class HarnessOidcProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #next = 0;

  private constructor(child: ChildProcess, issuer: string, clientId: string, clientSecret: string) {
    this.#child = child;
    this.issuer = issuer;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    child.on('message', (reply: Reply) => {
      if (reply.id === undefined) return;
      const waiter = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.result);
      else waiter?.reject(new Error(`oidc harness: ${reply.error}`));
    });
  }

  static async start(options: OidcProviderOptions): Promise<HarnessOidcProvider> {
    const port = await freePort();
    const clientId = options.clientId ?? 'auth-service';
    const clientSecret = randomBytes(24).toString('base64url');
    const settings = {
      port,
      clientId,
      clientSecret,
      redirectUris: options.redirectUris,
      backchannelLogoutUri: options.backchannelLogoutUri,
      accessTokenTtlS: options.accessTokenTtlS ?? 60,
      defaultAccount: options.defaultAccount ?? 'alice',
    };
    const child = fork(join(__dirname, 'oidcProviderServer.mjs'), [], {
      env: { ...process.env, OIDC_HARNESS_SETTINGS: JSON.stringify(settings), NODE_OPTIONS: '' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    live.add(child);
    child.once('exit', () => live.delete(child));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    const issuer = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`oidc harness did not start in 30 s: ${stderr}`)), 30_000);
      child.once('message', (reply: Reply) => {
        clearTimeout(timer);
        if (reply.ready && reply.issuer) resolve(reply.issuer);
        else reject(new Error(`oidc harness failed to start: ${reply.error ?? stderr}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`oidc harness exited (${code}): ${stderr}`));
      });
    });
    return new HarnessOidcProvider(child, issuer, clientId, clientSecret);
  }

  #call<T>(op: string, ...args: unknown[]): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ id, op, args });
    });
  }

  /** Stops listening (connections dropped): the IdP is down; tokens and sessions are kept. */
  stop(): Promise<void> {
    return this.#call('stop');
  }

  /** Listens again on the same port. */
  start(): Promise<void> {
    return this.#call('start');
  }

  counts(): Promise<OidcProviderCounts> {
    return this.#call('counts');
  }

  /** Access and ID tokens issued from now on live this long (the option `accessTokenTtlS` until then). */
  setAccessTokenTtl(seconds: number): Promise<void> {
    return this.#call('setAccessTokenTtl', seconds);
  }

  /** Revokes every grant of the IdP session `sid`: its refresh token now answers `invalid_grant`. */
  revokeSession(sid: string): Promise<number> {
    return this.#call('revokeSession', sid);
  }

  /** Sends a signed logout token for `sid` to the client's back-channel logout URI; resolves once the app answered 200. */
  backchannelLogout(sid: string): Promise<string> {
    return this.#call('backchannelLogout', sid);
  }

  /** A signed logout token for `sid` (fresh `jti`), returned instead of sent: to post it yourself, e.g. twice. */
  logoutToken(sid: string): Promise<string> {
    return this.#call('logoutToken', sid);
  }

  /** IdP sessions that hold a refresh token: sid and account. */
  sessions(): Promise<Array<{ sid: string; accountId: string }>> {
    return this.#call('sessions');
  }

  /** Ends the child process. */
  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.kill('SIGTERM');
    await exited;
  }
}

/** The harness IdP for one test file; close it in afterAll. */
export function startOidcProvider(options: OidcProviderOptions): Promise<HarnessOidcProvider> {
  return HarnessOidcProvider.start(options);
}
