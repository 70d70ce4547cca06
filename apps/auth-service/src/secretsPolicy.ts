import type { z } from 'zod';

/**
 * Values that were committed to this repository at some point (the compose file's old examples,
 * the test harness' secret): public, so never acceptable in production.
 */
export const KNOWN_DEVELOPMENT_SECRETS: ReadonlySet<string> = new Set([
  'compose-dev-secret-change-me-0123456789abcdef',
  'auth-service-dev-secret',
  'dev1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  'test-secret-that-is-long-enough-0123456789',
]);

/** Placeholder words that mark a value as an example, not a generated secret. */
const PLACEHOLDER = /change[-_ ]?me|dev[-_]?secret|example|placeholder|secret-here/i;

/** The variables checked, with the shortest value production accepts. */
const PRODUCTION_SECRETS = [
  { variable: 'BETTER_AUTH_SECRET', minLength: 32, required: true },
  { variable: 'BETTER_AUTH_SECRETS', minLength: 32, required: false },
  { variable: 'OIDC_CLIENT_SECRET', minLength: 16, required: false },
  { variable: 'UPSTREAM_TOKEN_KEY', minLength: 32, required: false },
  { variable: 'REDIS_PASSWORD', minLength: 16, required: false },
  { variable: 'REDIS_SENTINEL_PASSWORD', minLength: 16, required: false },
] as const;

type SingleSecret = Exclude<(typeof PRODUCTION_SECRETS)[number]['variable'], 'BETTER_AUTH_SECRETS'>;

/**
 * Every secret the app reads, with the command that generates one: `.env.example` prints it beside
 * the variable (and leaves the value empty), docs/secrets.md lists the same commands.
 */
export const SECRET_GENERATORS: Readonly<Record<(typeof PRODUCTION_SECRETS)[number]['variable'] | 'BOOTSTRAP_ADMIN_PASSWORD', string>> = {
  BETTER_AUTH_SECRET: 'openssl rand -base64 32',
  BETTER_AUTH_SECRETS: 'echo "1:$(openssl rand -base64 32)"',
  OIDC_CLIENT_SECRET: 'openssl rand -hex 32',
  UPSTREAM_TOKEN_KEY: 'echo "k1:$(openssl rand -base64 32)"',
  REDIS_PASSWORD: 'openssl rand -hex 32',
  REDIS_SENTINEL_PASSWORD: 'openssl rand -hex 32',
  BOOTSTRAP_ADMIN_PASSWORD: 'openssl rand -base64 24',
};

/** Why `value` is not a production secret, or undefined when it may be one. */
export function secretProblem(value: string, minLength: number): string | undefined {
  if (value.length < minLength) return `must be at least ${minLength} characters in production (generate one: openssl rand -base64 32)`;
  const key = value.includes(':') ? value.slice(value.indexOf(':') + 1) : value;
  if (KNOWN_DEVELOPMENT_SECRETS.has(value) || KNOWN_DEVELOPMENT_SECRETS.has(key) || PLACEHOLDER.test(value)) return 'is a known development value; generate a new one (docs/secrets.md)';
  if (new Set(key).size < 8) return 'is too regular to be a generated secret (generate one: openssl rand -base64 32)';
  return undefined;
}

/**
 * With NODE_ENV=production the app refuses to start on a missing, short, placeholder or
 * known development secret. The messages name the variable, never its value.
 */
export function checkProductionSecrets(
  config: { NODE_ENV: string; BETTER_AUTH_SECRETS?: ReadonlyArray<{ version: number; value: string }> } & Partial<Record<SingleSecret, string>>,
  ctx: z.RefinementCtx,
): void {
  if (config.NODE_ENV !== 'production') return;
  for (const { variable, minLength, required } of PRODUCTION_SECRETS) {
    if (variable === 'BETTER_AUTH_SECRETS') {
      // Every version still verifies or decrypts something: each must be a real secret.
      for (const { version, value } of config.BETTER_AUTH_SECRETS ?? []) {
        const problem = secretProblem(value, minLength);
        if (problem) ctx.addIssue({ code: 'custom', path: [variable], message: `version ${version} ${problem}` });
      }
      continue;
    }
    const value = config[variable];
    if (value === undefined) {
      // Better-Auth's versioned spelling stands in for the single secret.
      if (required && !(variable === 'BETTER_AUTH_SECRET' && config.BETTER_AUTH_SECRETS)) ctx.addIssue({ code: 'custom', path: [variable], message: 'is required in production' });
      continue;
    }
    const problem = secretProblem(value, minLength);
    if (problem) ctx.addIssue({ code: 'custom', path: [variable], message: problem });
  }
}
