import type { AppConfig } from '../config';

type OriginFields = Pick<AppConfig, 'NODE_ENV' | 'HOST' | 'PORT' | 'BETTER_AUTH_URL' | 'TRUSTED_ORIGINS'>;

/** The public base URL: BETTER_AUTH_URL, else `http://HOST:PORT` (0.0.0.0 answers on 127.0.0.1). */
export function baseUrlOf(config: OriginFields): string {
  return config.BETTER_AUTH_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
}

const LOOPBACK_ALIAS: Readonly<Record<string, string>> = { '127.0.0.1': 'localhost', localhost: '127.0.0.1' };

/**
 * The one list of origins trusted besides the base URL's own, fed to every check: Better-Auth's
 * origin check, CORS, the /ws Origin and the cookie CSRF rule. TRUSTED_ORIGINS (or its
 * Better-Auth spelling, unified by the config schema), plus — in development with the default base
 * URL on loopback only — the other loopback name on the same port, so the console opened as
 * http://localhost:3000/admin passes against the default http://127.0.0.1:3000.
 */
export function trustedOriginsOf(config: OriginFields): string[] {
  const origins = [...config.TRUSTED_ORIGINS];
  if (config.NODE_ENV === 'development' && config.BETTER_AUTH_URL === undefined) {
    const base = new URL(baseUrlOf(config));
    const alias = LOOPBACK_ALIAS[base.hostname];
    if (alias) origins.push(`${base.protocol}//${alias}:${base.port}`);
  }
  return [...new Set(origins)];
}
