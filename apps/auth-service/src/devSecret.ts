import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type AppConfig } from './config';

/**
 * The secret Better-Auth signs with. Production must configure it (the config schema enforces
 * that); in development one is generated once and kept in DATA_DIR, so sessions survive restarts.
 */
export function resolveAuthSecret(config: AppConfig): string {
  const file = join(config.DATA_DIR, 'auth-secret');
  if (config.BETTER_AUTH_SECRET) {
    // The development secret sits in a file on disk: production must not sign with it.
    if (config.NODE_ENV === 'production' && existsSync(file) && readFileSync(file, 'utf8').trim() === config.BETTER_AUTH_SECRET) {
      throw new ConfigError([{ variable: 'BETTER_AUTH_SECRET', message: `is the development secret kept in ${file}; generate a new one (docs/secrets.md)` }]);
    }
    return config.BETTER_AUTH_SECRET;
  }
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  mkdirSync(config.DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
