import { z } from 'zod';
import { commaList, emptyAsUndefined, url } from './configFields';

/** One entry of BETTER_AUTH_SECRETS: `<version>:<secret>`. */
export interface VersionedSecret {
  version: number;
  value: string;
}

/** Better-Auth's own format (its `parseSecretsEnv`): comma-separated `<version>:<secret>`, the current one first. */
const versionedSecrets = z
  .string()
  .max(4_096)
  .transform((text, ctx) => {
    const secrets: VersionedSecret[] = [];
    for (const [index, raw] of text.split(',').entries()) {
      const entry = raw.trim();
      const colon = entry.indexOf(':');
      const version = colon > 0 && /^\d+$/.test(entry.slice(0, colon)) ? Number(entry.slice(0, colon)) : NaN;
      const value = entry.slice(colon + 1).trim();
      if (!Number.isSafeInteger(version) || !value) {
        ctx.addIssue({ code: 'custom', message: `entry ${index + 1} must be "<version>:<secret>" (a non-negative integer version)` });
        return z.NEVER;
      }
      if (secrets.some((s) => s.version === version)) {
        ctx.addIssue({ code: 'custom', message: `version ${version} appears twice` });
        return z.NEVER;
      }
      secrets.push({ version, value });
    }
    if (secrets[0].value.length < 32) ctx.addIssue({ code: 'custom', message: 'the current (first) secret must be at least 32 characters' });
    return secrets;
  })
  .refine((secrets) => secrets.length <= 16, 'at most 16 versions');

/**
 * Better-Auth reads these two from the environment by itself; the app reads them too, so one
 * value feeds every check (cookie signatures, CORS, the /ws Origin, the CSRF rule) and a second
 * spelling can never be silently honoured by Better-Auth alone.
 */
export const betterAuthSpellingsConfigShape = {
  /** Better-Auth's versioned secrets, `<version>:<secret>` comma-separated, the current one first (rotation); instead of, or equal in its current value to, BETTER_AUTH_SECRET. */
  BETTER_AUTH_SECRETS: z.preprocess(emptyAsUndefined, versionedSecrets.optional()),
  /** Better-Auth's spelling of TRUSTED_ORIGINS; both set must name the same origins. */
  BETTER_AUTH_TRUSTED_ORIGINS: commaList(url(['http:', 'https:']), 8_192, 64),
};

interface Spellings {
  BETTER_AUTH_SECRET?: string;
  BETTER_AUTH_SECRETS?: VersionedSecret[];
  TRUSTED_ORIGINS: string[];
  BETTER_AUTH_TRUSTED_ORIGINS: string[];
}

const sameOrigins = (a: string[], b: string[]) => {
  const origins = (list: string[]) => [...new Set(list.map((o) => new URL(o).origin))].sort().join(',');
  return origins(a) === origins(b);
};

/** Both spellings set and different: start-up refuses, naming both (never a value). */
export function checkBetterAuthSpellings(config: Spellings, ctx: z.RefinementCtx): void {
  const current = config.BETTER_AUTH_SECRETS?.[0]?.value;
  if (config.BETTER_AUTH_SECRET && current && config.BETTER_AUTH_SECRET !== current) {
    ctx.addIssue({ code: 'custom', path: ['BETTER_AUTH_SECRETS'], message: 'names a current (first) secret different from BETTER_AUTH_SECRET; set one of them, or make BETTER_AUTH_SECRET the first entry' });
  }
  if (config.TRUSTED_ORIGINS.length && config.BETTER_AUTH_TRUSTED_ORIGINS.length && !sameOrigins(config.TRUSTED_ORIGINS, config.BETTER_AUTH_TRUSTED_ORIGINS)) {
    ctx.addIssue({ code: 'custom', path: ['BETTER_AUTH_TRUSTED_ORIGINS'], message: 'differs from TRUSTED_ORIGINS; set one of them (both name the origins every check trusts)' });
  }
}

/** After the checks: BETTER_AUTH_SECRET is the current secret and TRUSTED_ORIGINS the one list, whichever spelling set them. */
export function unifyBetterAuthSpellings<T extends Spellings>(config: T): T {
  return {
    ...config,
    BETTER_AUTH_SECRET: config.BETTER_AUTH_SECRET ?? config.BETTER_AUTH_SECRETS?.[0]?.value,
    TRUSTED_ORIGINS: config.TRUSTED_ORIGINS.length ? config.TRUSTED_ORIGINS : config.BETTER_AUTH_TRUSTED_ORIGINS,
  };
}
