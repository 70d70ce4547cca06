import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

/** The parts of the IdP's discovery document the app uses. */
export interface IdpMetadata {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
}

/** An IdP that did not answer (network error, 5xx): the caller answers 503 / keeps the grace period. */
export class IdpUnavailableError extends Error {
  readonly code = 'TRANSIENT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdpUnavailableError';
  }
}

/**
 * The IdP's discovery document and JWKS, fetched once and kept; a failed fetch is not kept, so
 * the next caller tries again (the IdP may be down at start-up).
 */
export class IdpDiscovery {
  readonly #issuer: string;
  #metadata: Promise<IdpMetadata> | undefined;
  #jwks: JWTVerifyGetKey | undefined;

  constructor(issuer: string) {
    this.#issuer = issuer;
  }

  get issuer(): string {
    return this.#issuer;
  }

  metadata(): Promise<IdpMetadata> {
    this.#metadata ??= this.#fetch().catch((error: unknown) => {
      this.#metadata = undefined;
      throw error;
    });
    return this.#metadata;
  }

  /** The IdP's signing keys (jose caches them and refetches on an unknown `kid`). */
  async jwks(): Promise<JWTVerifyGetKey> {
    const metadata = await this.metadata();
    this.#jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: 5_000 });
    return this.#jwks;
  }

  async #fetch(): Promise<IdpMetadata> {
    let response: Response;
    try {
      response = await fetch(`${this.#issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      throw new IdpUnavailableError('the IdP did not answer its discovery request', { cause: error });
    }
    if (!response.ok) throw new IdpUnavailableError(`the IdP answered discovery with ${response.status}`);
    const metadata = (await response.json()) as IdpMetadata;
    if (metadata.issuer !== this.#issuer) throw new Error(`discovery issuer ${metadata.issuer} is not ${this.#issuer}`);
    return metadata;
  }
}
