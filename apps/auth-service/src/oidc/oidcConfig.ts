import { z } from 'zod';
import { commaList, emptyAsUndefined } from '../configFields';
import { parseTokenKey } from './tokenCipher';

const tokenKey = z.string().max(200).refine((text) => {
  try {
    parseTokenKey(text);
    return true;
  } catch {
    return false;
  }
}, 'must be 32 bytes base64, optionally prefixed by a key id ("k2:...")');

/** Upstream OpenID Connect (Keycloak) settings; merged into the app's config schema. */
export const oidcConfigShape = {
  /** The IdP's issuer (Keycloak: `https://host/realms/<realm>`); unset → no upstream sign-in. */
  OIDC_ISSUER: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).max(2_048).optional()),
  /** The app's confidential client at the IdP (required with OIDC_ISSUER). */
  OIDC_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().min(1).max(255).optional()),
  /** That client's secret at the IdP (required with OIDC_ISSUER; the compose realm import reads the same variable). */
  OIDC_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().min(1).max(1_024).optional()),
  /** The provider id in Better-Auth's routes (`/api/auth/callback/<id>`). */
  OIDC_PROVIDER_ID: z.string().regex(/^[a-z0-9-]{1,40}$/).default('keycloak'),
  /** Encrypts upstream tokens at rest (AES-256-GCM): `[kid:]base64(32 bytes)`; required in production with OIDC. */
  UPSTREAM_TOKEN_KEY: z.preprocess(emptyAsUndefined, tokenKey.optional()),
  /** Comma-separated earlier keys (`kid:base64`), still accepted for decryption after a rotation. */
  UPSTREAM_TOKEN_PREVIOUS_KEYS: commaList(tokenKey, 4_096, 16),
};

type OidcFields = { NODE_ENV: string; OIDC_ISSUER?: string; OIDC_CLIENT_ID?: string; OIDC_CLIENT_SECRET?: string; UPSTREAM_TOKEN_KEY?: string };

/** Cross-field rules: a complete client, and a real key in production. */
export function checkOidcConfig(config: OidcFields, ctx: z.RefinementCtx): void {
  if (!config.OIDC_ISSUER) return;
  for (const variable of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
    if (!config[variable]) ctx.addIssue({ code: 'custom', path: [variable], message: 'is required with OIDC_ISSUER' });
  }
  if (config.NODE_ENV === 'production' && !config.UPSTREAM_TOKEN_KEY) {
    ctx.addIssue({ code: 'custom', path: ['UPSTREAM_TOKEN_KEY'], message: 'is required in production with OIDC_ISSUER' });
  }
}
