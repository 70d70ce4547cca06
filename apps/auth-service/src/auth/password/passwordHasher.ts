import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Merged into the app's config schema. */
export const passwordHashConfigShape = {
  /**
   * `standard`: Better-Auth's own scrypt (N=16384, r=16, 32 MiB per hash). `test`: scrypt at
   * N=1024, r=8 (1 MiB, about 1/64 of the work) for the test harness, whose suites sign up and in
   * hundreds of times. Refused with NODE_ENV=production; a hash made at one cost does not verify
   * at the other (the format carries no parameters), so never switch on a database that has users.
   */
  PASSWORD_HASH_COST: z.enum(['standard', 'test']).default('standard'),
};

/** What `emailAndPassword.password` accepts (Better-Auth's `{ hash, verify }`). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(input: { hash: string; password: string }): Promise<boolean>;
}

/** Low-cost scrypt parameters of the `test` setting. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1, dkLen: 64 } as const;

function scryptKey(password: string, salt: string): Promise<Buffer> {
  const { N, r, p, dkLen } = TEST_SCRYPT;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, dkLen, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * Better-Auth's `salt:key` scrypt format (`@better-auth/utils/password`) at TEST_SCRYPT's cost:
 * Better-Auth 1.7's exported `hashPassword` / `verifyPassword` take no parameters, so this
 * mirrors them with lower ones. Only for tests: see PASSWORD_HASH_COST.
 */
export const testPasswordHasher: PasswordHasher = {
  async hash(password) {
    const salt = randomBytes(16).toString('hex');
    return `${salt}:${(await scryptKey(password, salt)).toString('hex')}`;
  },
  async verify({ hash, password }) {
    const [salt, key] = hash.split(':');
    if (!salt || !key) throw new Error('Invalid password hash');
    const expected = Buffer.from(key, 'hex');
    const actual = await scryptKey(password, salt);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  },
};

/**
 * The `emailAndPassword.password` option for a cost: undefined (Better-Auth's own scrypt) unless
 * `test`.
 */
export function passwordHasherFor(cost: 'standard' | 'test'): PasswordHasher | undefined {
  return cost === 'test' ? testPasswordHasher : undefined;
}

/** The production guard, for the config's superRefine. */
export function checkPasswordHashConfig(config: { NODE_ENV: string; PASSWORD_HASH_COST: string }, ctx: z.RefinementCtx): void {
  if (config.NODE_ENV === 'production' && config.PASSWORD_HASH_COST !== 'standard') {
    ctx.addIssue({ code: 'custom', path: ['PASSWORD_HASH_COST'], message: 'must be standard in production' });
  }
}
