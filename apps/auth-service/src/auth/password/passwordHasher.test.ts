import { verifyPassword } from 'better-auth/crypto';
import { loadConfig } from '../../config';
import { passwordHasherFor, testPasswordHasher } from './passwordHasher';

describe('PASSWORD_HASH_COST', () => {
  it('test: verifies its own hash, refuses a wrong password, and salts each hash', async () => {
    const hash = await testPasswordHasher.hash('correct horse');
    expect(hash).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    await expect(testPasswordHasher.verify({ hash, password: 'correct horse' })).resolves.toBe(true);
    await expect(testPasswordHasher.verify({ hash, password: 'correct horsf' })).resolves.toBe(false);
    expect(await testPasswordHasher.hash('correct horse')).not.toBe(hash);
  });

  it('test: its hash is not accepted at the standard cost (the format carries no parameters)', async () => {
    const hash = await testPasswordHasher.hash('correct horse');
    await expect(verifyPassword({ hash, password: 'correct horse' })).resolves.toBe(false);
  });

  it('standard leaves Better-Auth its own scrypt; test is refused in production', () => {
    expect(passwordHasherFor('standard')).toBeUndefined();
    expect(passwordHasherFor('test')).toBe(testPasswordHasher);
    expect(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_COST: 'test' }).PASSWORD_HASH_COST).toBe('test');
    expect(() => loadConfig({ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'x'.repeat(32), PASSWORD_HASH_COST: 'test' })).toThrow(/PASSWORD_HASH_COST must be standard in production/);
  });
});
