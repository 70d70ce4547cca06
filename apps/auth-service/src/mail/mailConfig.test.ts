import { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { ConfigError, loadConfig } from '../config';
import { REDACTED_PATHS } from '../server';
import { LOG_SERIALIZERS } from '../http/logRedaction';
import { mailboxAddress, mailFromOf } from './mailConfig';
import { describeSmtpUrl, mailerOf } from './transport';

const SMTP_URL = 'smtp://mailer:smtp-password-0123456789@smtp.example.com:587';

/** A logger like the app's (same redaction and serializers), writing into `lines`. */
function appLogger(lines: string[]): FastifyBaseLogger {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return pino({ level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: LOG_SERIALIZERS }, stream) as unknown as FastifyBaseLogger;
}

describe('mail configuration', () => {
  it('production refuses to start without SMTP_URL, naming the variable', () => {
    let thrown: unknown;
    try {
      loadConfig({ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'Zq7v0Rk2mX9pL4sT8wB1nC6yH3jF5dGa' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues).toEqual([{ variable: 'SMTP_URL', message: expect.stringMatching(/^is required in production/) }]);
  });

  it('development and test start without it; an invalid URL names the variable, never its value', () => {
    expect(loadConfig({}).SMTP_URL).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test' }).SMTP_URL).toBeUndefined();
    expect(loadConfig({ SMTP_URL }).SMTP_URL).toBe(SMTP_URL);
    expect(() => loadConfig({ SMTP_URL: SMTP_URL.replace('smtp:', 'http:') })).toThrow(/^Invalid configuration: SMTP_URL must be a smtp: or smtps: URL$/);
  });

  it('SMTP_FROM defaults to no-reply at the host of the public URL; an explicit mailbox is kept', () => {
    expect(mailFromOf(loadConfig({ BETTER_AUTH_URL: 'https://auth.example.com/base' }), 'https://auth.example.com/base')).toBe('auth-service <no-reply@auth.example.com>');
    expect(mailFromOf(loadConfig({ SMTP_FROM: 'Accounts <accounts@example.com>' }), 'https://auth.example.com')).toBe('Accounts <accounts@example.com>');
    expect(mailboxAddress('Accounts <accounts@example.com>')).toBe('accounts@example.com');
    expect(mailboxAddress('plain@example.com')).toBe('plain@example.com');
    expect(mailboxAddress('nobody')).toBeUndefined();
  });

  it('the SMTP URL is described by host and port only; no log line carries the user or password', async () => {
    expect(describeSmtpUrl(SMTP_URL)).toBe('smtp://smtp.example.com:587');
    const lines: string[] = [];
    const mailer = mailerOf(loadConfig({ SMTP_URL }), 'a@example.com', appLogger(lines));
    expect(mailer.kind).toBe('smtp');
    await mailer.close();
    expect(lines.join('\n')).toContain('smtp://smtp.example.com:587');
    expect(lines.join('\n')).not.toContain('smtp-password-0123456789');
    expect(lines.join('\n')).not.toContain('mailer:');
  });

  it('without SMTP_URL the mail is logged at info, its link in full', async () => {
    const lines: string[] = [];
    const mailer = mailerOf(loadConfig({}), 'auth-service <no-reply@127.0.0.1>', appLogger(lines));
    expect(mailer.kind).toBe('log');
    const link = 'http://127.0.0.1:3000/api/auth/verify-email?token=abc.def.ghi&callbackURL=%2F';
    await mailer.send({ to: 'ada@example.com', subject: 'Verify', text: `open\n${link}\n` });
    const line = lines.map((l) => JSON.parse(l) as { level: number; msg: string; mail?: { to: string; text: string } }).find((l) => l.mail);
    expect(line).toMatchObject({ level: 30, mail: { to: 'ada@example.com', text: expect.stringContaining(link) } });
  });
});
